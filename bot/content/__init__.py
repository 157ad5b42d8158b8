"""The knowledge base: answers and organisations that NGO staff maintain in the database."""

DOMAIN_TOPICS = (
    "registration_howto", "registration_deadline", "registration_renewal", "stay_period",
    "patent_howto", "patent_payment", "eaeu_work", "medical_exam_tests", "employment_contract",
    "unpaid_wages", "passport_withheld", "police_stop", "detention_expulsion", "status_check",
    "healthcare", "child_school", "forced_labour", "find_free_help", "join_union",
    "intermediary_offer", "consulate_contacts",
)
"""The domain intents of the contract; each has answers in the knowledge base."""

ROUTED_TOPICS = (
    "find_free_help", "unpaid_wages", "passport_withheld", "police_stop", "detention_expulsion",
    "status_check", "healthcare", "child_school", "forced_labour", "intermediary_offer",
)
"""Topics whose answer ends with vetted organisations near the person."""

URGENT_TOPICS = ("forced_labour", "detention_expulsion")
"""Topics that lead with the urgent steps before anything else."""

SCOPES = ("any", "uzbekistan", "tajikistan", "eaeu", "other")
SCOPE_OF_COUNTRY = {
    "uzbekistan": "uzbekistan", "tajikistan": "tajikistan", "kyrgyzstan": "eaeu",
    "kazakhstan": "eaeu", "armenia": "eaeu", "belarus": "eaeu", "other": "other",
}
"""Citizenship → answer scope: the EAEU states share their rules."""
