"""Every ATS named in Kombo's ATS documentation, with the connector atsbridge has for it (if any).

``GET /v1/tools/ats`` and the README's coverage matrix list them all, so users see at once what is
available and what is not yet.
"""

from __future__ import annotations

#: (tool key, label) in the order of Kombo's own list. Keys with a connector match ``registry.BUILTIN``.
ATS_TOOLS: tuple[tuple[str, str], ...] = (
    ("workday", "Workday"),
    ("successfactors", "SAP SuccessFactors"),
    ("smartrecruiters", "SmartRecruiters"),
    ("oracle", "Oracle Recruiting Cloud"),
    ("lever", "Lever"),
    ("icims", "iCIMS"),
    ("cornerstonetalentlink", "Cornerstone TalentLink"),
    ("recruitee", "Recruitee"),
    ("greenhouse", "Greenhouse"),
    ("teamtailor", "Teamtailor"),
    ("ashby", "Ashby"),
    ("talentsoft", "CEGID TalentSoft FrontOffice"),
    ("talentsoftcustomer", "CEGID TalentSoft Customer"),
    ("onlyfy", "Onlyfy"),
    ("ukgpro", "UKG Pro"),
    ("afas", "AFAS Software"),
    ("bamboohr", "BambooHR"),
    ("bullhorn", "Bullhorn"),
    ("bullhornlogin", "Bullhorn Login"),
    ("workable", "Workable"),
    ("jobvite", "Jobvite"),
    ("fountain", "Fountain"),
    ("softgarden", "Softgarden"),
    ("pinpoint", "Pinpoint"),
    ("welcometothejungle", "Welcome to the Jungle"),
    ("dvinci", "d.vinci"),
    ("join", "JOIN"),
    ("sagehr", "Sage HR"),
    ("traffit", "TRAFFIT"),
    ("erecruiter", "eRecruiter"),
    ("abacusumantis", "Abacus Umantis"),
    ("umantis", "Haufe Umantis"),
    ("taleez", "Taleez"),
    ("hrworks", "HRworks"),
    ("otys", "OTYS"),
    ("zohorecruit", "Zoho Recruit"),
    ("eploy", "Eploy"),
    ("jobdiva", "JobDiva"),
    ("careerplug", "CareerPlug"),
    ("recru", "RECRU"),
    ("jazzhr", "JazzHR"),
    ("bite", "BITE"),
    ("homerun", "Homerun"),
    ("carerix", "Carerix"),
    ("inrecruiting", "InRecruiting"),
    ("connexys", "Connexys By Bullhorn"),
    ("hr4you", "HR4YOU"),
    ("cornerstoneondemand", "Cornerstone OnDemand"),
    ("zvooverecruit", "Zvoove Recruit"),
    ("comeet", "Comeet"),
    ("compleet", "Compleet"),
    ("breezyhr", "Breezy HR"),
    ("flatchr", "Flatchr"),
    ("reachmee", "ReachMee"),
    ("personio", "Personio"),
    ("sandbox", "Sandbox ATS"),
)

#: Tools of the catalogue atsbridge declines to guess a connector for, with the reason ``GET /v1/tools/ats``
#: and the README matrix give. A connector built later simply replaces the entry.
UNAVAILABLE: dict[str, str] = {
    "hr4you": "HR4YOU publishes no API documentation (its interfaces are set up per customer project)",
    "recru": "RECRU publishes no API documentation",
    "inrecruiting": "InRecruiting publishes no API documentation (access is arranged per customer)",
    "compleet": "Compleet publishes no API documentation",
    "zvooverecruit": "Zvoove Recruit's API reference (api.zvoove.com/docs) is not public: only its base URL "
    "(`https://{domain}/api/public`) and two separately keyed APIs (applicants, jobs) are known, from Kombo's "
    "passthrough notes; auth, paging and shapes would be guessed",
    "careerplug": "CareerPlug's public API page documents only OAuth set-up (client credentials, `Accept-Version: v1`) "
    "and says jobs can be read and applicants applied; the endpoints and their shapes are shown to API customers "
    "only, so a connector would be guessed",
}

#: The contract's write actions and their labels (``/tools`` coverage, scope configs, the matrix).
WRITE_ACTIONS: dict[str, str] = {
    "create_application": "Create application",
    "create_candidate": "Create candidate",
    "move_application_to_stage": "Move application to stage",
    "reject_application": "Reject application",
    "add_application_note": "Add note to application",
    "add_application_attachment": "Add attachment to application",
    "add_candidate_attachment": "Add attachment to candidate",
    "add_application_result_link": "Add result link to application",
    "add_candidate_result_link": "Add result link to candidate",
    "add_candidate_tag": "Add tag to candidate",
    "remove_candidate_tag": "Remove tag from candidate",
    "import_tracked_application": "Import tracked application",
}
