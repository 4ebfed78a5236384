"""Forms for governance screens. The services validate the rules and give the Swedish messages; forms only
parse input and offer sensible choices."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import ProposalState
from applications.models import Proposal
from samverkan.enums import Role
from samverkan.models import User
from samverkan.selectors import people_with_role

from .enums import AttendanceStatus, ItemKind, MeetingKind
from .models import AgendaItem, Body, Meeting

# --- Meetings ----------------------------------------------------------------------------------------------

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.email


class MeetingForm(forms.Form):
    """Book (or change) a meeting. When editing, kind and body are fixed: a meeting does not move between
    bodies once booked."""

    kind = forms.ChoiceField(label=_("Mötestyp"), choices=MeetingKind.choices)
    body = forms.ModelChoiceField(
        label=_("Organ"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("Utifrån mötestypen"),
        help_text=_("För en beredning: välj kommunens beredningsgrupp."),
    )
    title = forms.CharField(label=_("Rubrik"), max_length=200)
    starts_at = forms.DateTimeField(
        label=_("Börjar"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Svensk tid."),
    )
    ends_at = forms.DateTimeField(
        label=_("Slutar"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    location = forms.CharField(label=_("Plats"), max_length=200, required=False)
    video_link = forms.URLField(label=_("Videolänk"), required=False, assume_scheme="https")
    per_capsulam = forms.BooleanField(
        label=_("Beslut per capsulam"),
        required=False,
        help_text=_(
            "Bara styrgruppen. Styrgruppen beslutar utan sammanträde: ledamöterna röstar digitalt, senast "
            "när mötet slutar (sista svarstid). Voteringen kan öppnas när kallelsen har skickats. Ingen "
            "plats behövs."
        ),
    )
    chair = PersonChoiceField(
        label=_("Ordförande"), queryset=User.objects.none(), required=False, empty_label=_("Inte utsedd än")
    )
    secretary = PersonChoiceField(
        label=_("Sekreterare"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Jag själv"),
        help_text=_("Processledaren dokumenterar mötet."),
    )

    def __init__(self, *args, agreement, bodies=(), editing: bool = False, kind: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["kind"]
            del self.fields["body"]
            if kind != MeetingKind.STEERING:
                del self.fields["per_capsulam"]
            self.fields["secretary"].required = True
            self.fields["secretary"].empty_label = None
        else:
            self.fields["body"].queryset = Body.objects.filter(pk__in=[b.pk for b in bodies]).order_by(
                "kind", "name"
            )
        # Processledaren leads beredning meetings; ledamöter chair the bodies they sit in.
        self.fields["chair"].queryset = people_with_role(
            agreement, Role.PROCESS_LEADER, Role.REVIEW_MEMBER, Role.STEERING_MEMBER
        )
        self.fields["secretary"].queryset = people_with_role(agreement, Role.PROCESS_LEADER)

    def clean(self):
        data = super().clean()
        # meeting_create checks this; meeting_update does not, so an edit must not remove both.
        if (
            self.editing
            and not data.get("location")
            and not data.get("video_link")
            and not data.get("per_capsulam")
            and not self.errors
        ):
            self.add_error("location", _("Ange plats eller videolänk."))
        if not self.editing and data.get("per_capsulam") and data.get("kind") != MeetingKind.STEERING:
            self.add_error("per_capsulam", _("Bara styrgruppen kan besluta per capsulam."))
        # meeting_create would otherwise pick some municipality's group when none is chosen.
        if not self.editing and data.get("kind") == MeetingKind.REVIEW and not data.get("body"):
            self.add_error("body", _("Välj en beredningsgrupp för mötet."))
        return data


def meeting_initial(meeting: Meeting) -> dict:
    return {
        "title": meeting.title,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "location": meeting.location,
        "video_link": meeting.video_link,
        "per_capsulam": meeting.per_capsulam,
        "chair": meeting.chair_id,
        "secretary": meeting.secretary_id,
    }


# --- Agenda items ------------------------------------------------------------------------------------------

REVIEW_SCHEDULABLE = (ProposalState.SUBMITTED, ProposalState.PITCH)
STEERING_SCHEDULABLE = (ProposalState.AWAITING_DECISION, ProposalState.CLOSING)


def schedulable_proposals(meeting: Meeting):
    """Proposals that can go on this meeting's agenda: submitted applications and pitches for a beredning,
    those awaiting decision or closure for the styrgrupp – and neither on it nor on another meeting's open
    agenda for the same kind of handling (one open item per proposal and kind, see services.item_add)."""
    states = STEERING_SCHEDULABLE if meeting.is_steering else REVIEW_SCHEDULABLE
    kinds = (
        (ItemKind.DECISION, ItemKind.CLOSURE)
        if meeting.is_steering
        else (ItemKind.APPLICATION, ItemKind.PITCH)
    )
    elsewhere = (
        AgendaItem.objects.open_deciding()
        .filter(kind__in=kinds)
        .exclude(meeting=meeting)
        .values("proposal_id")
    )
    return (
        Proposal.objects.filter(agreement_id__in=meeting.agreement_ids(), state__in=states)
        .exclude(agenda_items__meeting=meeting)
        .exclude(pk__in=elsewhere)
        .order_by("title")
    )


class ItemForm(forms.Form):
    proposal = forms.ModelChoiceField(
        label=_("Ärende"),
        queryset=Proposal.objects.none(),
        required=False,
        empty_label=_("Ingen – en fri punkt"),
    )
    kind = forms.ChoiceField(
        label=_("Typ av fri punkt"),
        choices=[(ItemKind.INFORMATION, ItemKind.INFORMATION.label), (ItemKind.OTHER, ItemKind.OTHER.label)],
        required=False,
        help_text=_("Punkter med ett ärende får typ efter ärendets status (pitch, ansökan, beslut, avslut)."),
    )
    title = forms.CharField(
        label=_("Rubrik"),
        max_length=200,
        required=False,
        help_text=_("Tom = ärendets titel."),
    )
    starts_at = forms.TimeField(
        label=_("Tid"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Tom = direkt efter föregående punkt."),
    )
    duration_minutes = forms.IntegerField(label=_("Minuter"), min_value=1, max_value=480, initial=15)
    description = forms.CharField(
        label=_("Beskrivning"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        field = self.fields["proposal"]
        # Any proposal of the agreement is accepted here so that the service can say why one cannot be
        # scheduled; the list offers only those that can.
        field.queryset = Proposal.objects.filter(agreement_id__in=meeting.agreement_ids())
        field.widget.choices = [("", field.empty_label)] + [
            (p.pk, f"{p.title} ({p.get_state_display()})") for p in schedulable_proposals(meeting)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        proposal = data.get("proposal")
        return {
            "proposal": proposal,
            "kind": None if proposal else (data.get("kind") or ItemKind.INFORMATION),
            "title": data.get("title", "").strip(),
            "starts_at": data.get("starts_at"),
            "duration_minutes": data.get("duration_minutes") or 15,
            "description": data.get("description", "").strip(),
        }


# --- Attendance --------------------------------------------------------------------------------------------

INVALID_ATTENDANCE = _(
    "Ogiltig närvarostatus – välj Närvarande, Anlände sent, Lämnade mötet eller Frånvarande."
)


class AttendanceForm(forms.Form):
    """One status select and one note per member (field names status_<user id>, note_<user id>)."""

    def __init__(self, *args, seats, existing: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = seats
        self.existing = existing
        for seat in seats:
            name = seat.user.get_full_name() or seat.user.email
            row = existing.get(seat.user_id)
            self.fields[f"status_{seat.user_id}"] = forms.ChoiceField(
                label=_("Närvaro för %(name)s") % {"name": name},
                choices=AttendanceStatus.choices,
                initial=row.status if row else AttendanceStatus.PRESENT,
                error_messages={"invalid_choice": INVALID_ATTENDANCE, "required": INVALID_ATTENDANCE},
            )
            self.fields[f"note_{seat.user_id}"] = forms.CharField(
                label=_("Anteckning för %(name)s") % {"name": name},
                max_length=200,
                required=False,
                initial=row.note if row else "",
            )

    def rows(self):
        for seat in self.seats:
            yield (
                seat,
                self[f"status_{seat.user_id}"],
                self[f"note_{seat.user_id}"],
                self.existing.get(seat.user_id),
            )

    def statuses(self) -> dict[int, str]:
        return {seat.user_id: self.cleaned_data[f"status_{seat.user_id}"] for seat in self.seats}

    def notes(self) -> dict[int, str]:
        return {seat.user_id: self.cleaned_data[f"note_{seat.user_id}"].strip() for seat in self.seats}
