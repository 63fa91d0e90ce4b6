"""Write actions: request bodies, validation against the store, idempotent execution through connectors."""
