"""Write actions: validation against the store, create claims, idempotent execution through connectors.

The request bodies themselves are model (``atsbridge.model.write_bodies``): connectors read them too."""
