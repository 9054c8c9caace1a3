"""The front desk's part of a request in the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AppointmentRequest

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
        if self.instance.pk is None or "status_seen" not in self.data:
            return cleaned
        self._check_status(cleaned)
        self._check_assignee(cleaned)
        if self.errors:
            # Shown again with what is stored now, so the next save goes through.
            self.data = self.data.copy()
            self.data["status_seen"], self.data["assigned_seen"] = self.instance.status, self._current_assignee()
        return cleaned

    def _check_status(self, cleaned: dict) -> None:
        current, seen = self.instance.status, cleaned.get("status_seen")
        if seen == current or "status" not in cleaned:
            return
        if cleaned["status"] == seen:
            cleaned["status"] = current  # this clerk left it alone: the colleague's move stands
        elif cleaned["status"] != current:
            label = AppointmentRequest.Status(current).label
            self.add_error("status", forms.ValidationError(MESSAGES["status_moved"] % {"status": label}))

    def _check_assignee(self, cleaned: dict) -> None:
        current, seen = self._current_assignee(), cleaned.get("assigned_seen", "")
        if seen == current or "assigned_to" not in cleaned:
            return
        chosen = cleaned["assigned_to"]
        chosen_id = str(chosen.pk) if chosen else ""
        if chosen_id == seen:
            cleaned["assigned_to"] = self.instance.assigned_to
        elif chosen_id != current:
            person = self.instance.assigned_to or _("nobody")
            self.add_error("assigned_to", forms.ValidationError(MESSAGES["assignment_moved"] % {"person": person}))
