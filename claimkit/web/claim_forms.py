"""WTForms for a claim's page: quick to fill on a phone (dates default to today, "34,90" accepted)."""

from dataclasses import fields

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, Field, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from claimkit.domain import identifiers as ids
from claimkit.domain import limits
from claimkit.domain.claims import (
    ACT_LABELS,
    KIND_LABELS,
    ClaimDetails,
    ClaimKind,
    PayoutMethod,
    act_fields_for,
    details_for,
    own_act_fields,
)
from claimkit.services import claims, tracking
from claimkit.web.validators import (
    LATIN_CODE,
    AmountField,
    SafeForm,
    domain_check,
    not_in_future,
    positive,
    required_message,
)


def _choices(labels: dict) -> list[SelectChoice]:  # type: ignore[type-arg]
    return [SelectChoice(str(key), _l(label)) for key, label in labels.items()]


class NewClaimForm(SafeForm):
    kind = RadioField(
        _l("Type de feuille"),
        choices=_choices(KIND_LABELS),
        default=ClaimKind.MALADIE,
        validators=[DataRequired(_l("Choisissez le type de feuille."))],
    )
    label = StringField(
        _l("Nom du dossier (facultatif, ex. « Angine mars »)"), validators=[Optional(), Length(max=limits.LABEL_LENGTH)]
    )


class ActForm(SafeForm):
    performed_on = DateField(
        _l("Date de l'acte"),
        validators=[DataRequired(_l("Indiquez la date de l'acte.")), not_in_future(claims.ACT_IN_FUTURE)],
    )
    type = SelectField(_l("Acte"), choices=_choices(ACT_LABELS), validators=[DataRequired(required_message)])
    amount = AmountField(
        _l("Montant payé (DH)"),
        # InputRequired, not DataRequired: the latter would hide the parsing error of "trente".
        validators=[
            InputRequired(_l("Indiquez le montant payé, ex. 150 ou 34,90.")),
            positive(claims.AMOUNT_NOT_POSITIVE),
        ],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    # A datalist of earlier practitioners (the "list" attribute), never a pre-filled value.
    practitioner = StringField(
        _l("Médecin, pharmacie ou laboratoire"),
        validators=[Optional(), Length(max=limits.LABEL_LENGTH)],
        render_kw={"list": "praticiens", "autocomplete": "off"},
    )
    inpe = StringField(
        _l("INPE (si connu, sur le cachet)"),
        validators=[Optional(), Length(max=limits.CODE_LENGTH)],
        render_kw={"inputmode": "numeric"},
    )
    # Dental acts only (docs/domain.md#checklist-of-attachments); the service checks the ICE's key.
    dentist_if = StringField(
        _l("Dentiste : identifiant fiscal (IF, sur la note d'honoraires)"),
        validators=[Optional(), Length(max=limits.CODE_LENGTH)],
        render_kw={"inputmode": "numeric", **LATIN_CODE},
    )
    ice = StringField(  # named as the acts.ice column, so the edit form is filled from the act
        _l("Dentiste : ICE (15 chiffres, sur la note d'honoraires)"),
        validators=[
            Optional(),
            Length(max=limits.CODE_LENGTH),
            domain_check(lambda ice: ids.ice_problem(ice.replace(" ", ""))),
        ],
        render_kw={"inputmode": "numeric", **LATIN_CODE},
    )
    entente = StringField(
        _l("N° d'entente préalable (prothèse, orthodontie)"),
        validators=[Optional(), Length(max=limits.REFERENCE_LENGTH)],
        render_kw=LATIN_CODE,
    )

    # The form's name of an Act field where they differ (the form's `ice` is named as the acts.ice column).
    _NAMES = {"dentist_ice": "ice"}  # noqa: RUF012 - a constant, not a form field

    def shown(self, kind: str) -> list[Field]:
        """The fields of an act of a claim of `kind` (domain/claims.act_fields_for), in their order."""
        return [self[self._NAMES.get(name, name)] for name in act_fields_for(ClaimKind(kind))]

    def common(self, kind: str) -> list[Field]:
        """The fields every claim's acts have, in their order (the claim page draws the kind's own apart)."""
        own = set(own_act_fields(ClaimKind(kind)))
        return [self[self._NAMES.get(name, name)] for name in act_fields_for(ClaimKind(kind)) if name not in own]

    def own(self, kind: str) -> list[Field]:
        """The fields only the acts of a claim of `kind` have (a dentaire claim's IF, ICE, entente)."""
        return [self[self._NAMES.get(name, name)] for name in own_act_fields(ClaimKind(kind))]


class MedicineForm(SafeForm):
    name = StringField(
        _l("Médicament"),
        validators=[DataRequired(_l("Indiquez le nom du médicament.")), Length(max=limits.MEDICINE_NAME_LENGTH)],
    )
    ean13 = StringField(
        _l("Code-barres (13 chiffres, facultatif)"),
        validators=[Optional(), domain_check(ids.ean13_problem)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    ppv = AmountField(_l("Prix public (PPV, DH)"), validators=[Optional()], render_kw={"inputmode": "decimal"})
    pbr = AmountField(
        _l("Prix base de remboursement (PBR, DH)"), validators=[Optional()], render_kw={"inputmode": "decimal"}
    )
    quantity = IntegerField(
        _l("Quantité (boîtes)"),
        default=1,
        validators=[NumberRange(1, 99, _l("Entre 1 et 99 boîtes."))],
        render_kw={"inputmode": "numeric"},
    )


class DetailsForm(SafeForm):
    label = StringField(_l("Nom du dossier"), validators=[Optional(), Length(max=limits.LABEL_LENGTH)])
    treatment_start = DateField(_l("Début du traitement continu"), validators=[Optional()])
    treatment_end = DateField(_l("Fin du traitement continu"), validators=[Optional()])

    def validate_treatment_end(self, field: DateField) -> None:
        """Both dates or neither, in order: said next to the end date, with the form's other mistakes."""
        start = self.treatment_start.data
        if bool(start) != bool(field.data) and not self.treatment_start.errors:
            raise ValidationError(_(claims.TREATMENT_HALF))
        if start and field.data and field.data < start:
            raise ValidationError(_(claims.TREATMENT_REVERSED))

    ald_code = StringField(
        _l("Code de l'ALD (sur l'accord d'exonération)"),
        validators=[Optional(), Length(max=limits.CODE_LENGTH)],
        render_kw=LATIN_CODE,
    )
    ald_accord = StringField(
        _l("N° de l'accord"), validators=[Optional(), Length(max=limits.REFERENCE_LENGTH)], render_kw=LATIN_CODE
    )
    ald_exoneration = BooleanField(_l("Joindre la demande d'exonération du ticket modérateur (première demande)"))
    accident_date = DateField(_l("Date de l'accident"), validators=[Optional()])
    accident_circumstances = TextAreaField(
        _l("Circonstances de l'accident"), validators=[Optional(), Length(max=limits.CIRCUMSTANCES_LENGTH)]
    )
    third_party_liable = BooleanField(_l("Un tiers (ou son assurance) est responsable de l'accident"))
    personal_note = TextAreaField(
        _l("Note personnelle (pour vous seul : jamais imprimée ni envoyée)"),
        validators=[Optional(), Length(max=limits.CIRCUMSTANCES_LENGTH)],
        render_kw={"dir": "auto"},
    )

    def details(self) -> ClaimDetails:
        """The value object from the fields of the same names: an empty text is "", an unticked box False."""
        values: dict[str, object] = {}
        for spec in fields(ClaimDetails):
            data = self[spec.name].data
            values[spec.name] = (
                bool(data) if isinstance(spec.default, bool) else data if data is not None else spec.default
            )
        return ClaimDetails(**values)  # type: ignore[arg-type]

    def shown(self, kind: str) -> list[Field]:
        """The fields the claim page draws for a claim of `kind` (domain/claims.details_for), in their order."""
        return [self[name] for name in details_for(ClaimKind(kind))]


class SendForm(SafeForm):
    sent_on = DateField(
        _l("Date d'envoi"),
        validators=[DataRequired(_l("Indiquez la date d'envoi.")), not_in_future(claims.SENT_IN_FUTURE)],
    )
    recommande_number = StringField(
        _l("N° de recommandé (facultatif)"),
        validators=[Optional(), Length(max=limits.REFERENCE_LENGTH)],
        render_kw=LATIN_CODE,
    )


class ReceivedForm(SafeForm):
    received_on = DateField(
        _l("Date (courrier, SMS ou portail de la CNOPS)"),
        validators=[DataRequired(required_message), not_in_future(tracking.IN_FUTURE)],
    )


class PaymentEditForm(SafeForm):
    paid_on = DateField(
        _l("Date du paiement"), validators=[DataRequired(required_message), not_in_future(tracking.IN_FUTURE)]
    )
    paid_amount = AmountField(
        _l("Montant reçu (DH)"),
        validators=[
            InputRequired(_l("Indiquez le montant reçu, ex. 112,50.")),
            positive(tracking.RECEIVED_NOT_POSITIVE),
        ],
        render_kw={"inputmode": "decimal"},
    )
    method = RadioField(
        _l("Reçu par"),
        choices=[
            SelectChoice(PayoutMethod.VIREMENT, _l("Virement sur mon RIB")),
            SelectChoice(PayoutMethod.MANDAT, _l("Mandat postal")),
        ],
        default=PayoutMethod.VIREMENT,
        validators=[DataRequired(required_message)],
    )
    reference = StringField(
        _l("Référence (n° de mandat, libellé du virement)"),
        validators=[Optional(), Length(max=limits.PAYMENT_REFERENCE_LENGTH)],
    )


class PaymentForm(PaymentEditForm):
    final = BooleanField(_l("C'est le dernier paiement : la CNOPS a payé tout ce qu'elle paiera pour ce dossier"))


class RejectForm(SafeForm):
    rejected_on = DateField(
        _l("Date du rejet"), validators=[DataRequired(required_message), not_in_future(tracking.IN_FUTURE)]
    )
    reason = TextAreaField(
        _l("Motif indiqué par la CNOPS"), validators=[DataRequired(required_message), Length(max=limits.REASON_LENGTH)]
    )


class ResubmitForm(SafeForm):
    resubmitted_on = DateField(
        _l("Date du nouvel envoi"), validators=[DataRequired(required_message), not_in_future(tracking.IN_FUTURE)]
    )
    recommande = StringField(
        _l("N° de recommandé (facultatif)"),
        validators=[Optional(), Length(max=limits.REFERENCE_LENGTH)],
        render_kw=LATIN_CODE,
    )
