"""The front desk's part of a request in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AppointmentRequest

MESSAGES = {
    "status_moved": _(
        "While you had this request open, a colleague changed its status to “%(status)s”. "
        "Check the status history below, then choose the status again."
    ),
    "assignment_moved": _(
        "While you had this request open, a colleague assigned it to %(person)s. Choose who has it again."
    ),
}


class SeenField(forms.CharField):
    """What the page showed when it was opened: bookkeeping, never a change of its own."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


class RequestAdminForm(forms.ModelForm):
    """Two clerks may have one request open: a save never undoes, unseen, what a colleague just changed.

    The page remembers the status and assignee it showed. If they moved in the meantime, a field this
    clerk left alone keeps the colleague's value; a field both changed is refused, with the new value named.
    """

    status_seen = SeenField()
    assigned_seen = SeenField()

    class Meta:
        model = AppointmentRequest
        fields = ["status", "assigned_to"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status_seen"].initial = self.instance.status
        self.fields["assigned_seen"].initial = self._current_assignee()

    def _current_assignee(self) -> str:
        return str(self.instance.assigned_to_id or "")

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = self.instance.status
        seen = cleaned.get("status_seen")
        if seen and seen != current and "status" in cleaned:
            if cleaned["status"] == seen:
                cleaned["status"] = current
            elif cleaned["status"] != current:
                status = AppointmentRequest.Status(current).label
                self.add_error("status", forms.ValidationError(MESSAGES["status_moved"] % {"status": status}))
        current_person = self._current_assignee()
        seen_person = cleaned.get("assigned_seen")
        if seen_person is not None and "status_seen" in self.data and seen_person != current_person:
            chosen = cleaned.get("assigned_to")
            chosen_id = str(chosen.pk) if chosen else ""
            if chosen_id == seen_person:
                cleaned["assigned_to"] = self.instance.assigned_to
            elif chosen_id != current_person:
                person = self.instance.assigned_to or _("nobody")
                self.add_error("assigned_to", MESSAGES["assignment_moved"] % {"person": person})
        if self.errors:
            # Shown again with what is stored now, so the next save goes through.
            self.data = self.data.copy()
            self.data["status_seen"], self.data["assigned_seen"] = current, current_person
        return cleaned
