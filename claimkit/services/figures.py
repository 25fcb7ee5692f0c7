""" "Mes chiffres" for one student: totals for the year and overall, and the monthly chart."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.dates import get_month_names
from sqlalchemy.orm import Session

from claimkit.adapters import l10n
from claimkit.adapters.db.models import User
from claimkit.domain import stats
from claimkit.domain.claims import ClaimState
from claimkit.domain.deadlines import local_today
from claimkit.domain.languages import SOURCE
from claimkit.domain.messages import N_
from claimkit.services import Clock
from claimkit.services.claims import ClaimView, dashboard

CHART_TITLE = N_("Dépensé et remboursé par mois (DH)")
SPENT, PAID = N_("Dépensé"), N_("Remboursé")


@dataclass(frozen=True)
class MonthlyChart:
    """What the chart shows, in the student's language; the web layer draws it."""

    title: str
    legend: tuple[str, str]
    months: list[str]
    series: list[tuple[Decimal, Decimal]]  # (spent, reimbursed) per month


@dataclass(frozen=True)
class Figures:
    year: int
    this_year: stats.Totals
    overall: stats.Totals
    chart: MonthlyChart
    views: list[ClaimView]


def claim_figures(view: ClaimView) -> stats.ClaimFigures:
    payments = tuple((p.paid_on, p.amount) for p in view.row.payments)
    return stats.ClaimFigures(
        spent=view.facts.total_paid,
        estimated=view.estimate.total,
        paid=view.reimbursed,
        first_act=view.facts.first_act_date,
        sent_on=view.row.sent_on,
        payments=payments,
        rejected=view.row.state == ClaimState.REJETEE,
    )


def figures(db: Session, clock: Clock, user_id: int) -> Figures:
    today: date = local_today(clock())
    views = dashboard(db, clock, user_id)
    all_figures = [claim_figures(v) for v in views]
    months = stats.last_months(today)
    user = db.get(User, user_id)
    locale = user.locale if user else SOURCE
    names = get_month_names("abbreviated", locale=l10n.regional(locale))
    text = l10n.translations(locale).gettext
    chart = MonthlyChart(
        text(CHART_TITLE), (text(SPENT), text(PAID)), [names[m] for _, m in months], stats.monthly(all_figures, months)
    )
    return Figures(
        year=today.year,
        this_year=stats.totals(stats.in_year(all_figures, today.year)),
        overall=stats.totals(all_figures),
        chart=chart,
        views=views,
    )
