"""The staff groups and what each may do, across every app. `manage.py setup_roles` applies them."""

# Group name -> (app label, model) -> permitted actions.
ROLES = {
    "Front desk": {
        ("appointments", "appointmentrequest"): ["view", "change"],
        # Notes are a thread: add and read, never edit or remove.
        ("appointments", "note"): ["view", "add"],
        ("appointments", "statuschange"): ["view"],
        ("appointments", "notification"): ["view"],
    },
    "Editors": {
        **{
            ("articles", model): ["view", "add", "change", "delete"]
            for model in ("article", "category", "tag", "contributor", "reference", "slugredirect", "bodyimage")
        },
        ("articles", "review"): ["view"],
        # The clinic's phone, address and hours: editors keep them right, as they keep the articles right.
        ("clinic", "clinicdetails"): ["view", "change"],
    },
    # They read what waits for them and approve it or send it back; they change no text themselves.
    "Medical reviewers": {
        ("articles", "article"): ["view", "review"],
        **{("articles", model): ["view"] for model in ("reference", "category", "tag", "contributor", "review")},
    },
    # Reads the audit trail and exports it as CSV; nobody else does (superusers aside), and nobody changes it.
    "Privacy officer": {
        ("audit", "auditevent"): ["view"],
    },
}
