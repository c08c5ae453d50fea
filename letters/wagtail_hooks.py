from wagtail import hooks

from groups.dashboard import editor_groups
from groups.permissions import is_national_staff
from letters.dashboard import InvitationCountsPanel, UncoveredConstituenciesPanel
from letters.viewsets import constituency_viewset, mp_answer_viewset


@hooks.register("register_admin_viewset")
def register_constituency_viewset():
    return constituency_viewset


@hooks.register("register_admin_viewset")
def register_mp_answer_viewset():
    return mp_answer_viewset


# Letter download reports and the all-letters ZIP (national staff): see letters/reports.py.
from letters import reports  # noqa: E402

hooks.register("register_admin_urls", reports.admin_urls)
hooks.register("register_reports_menu_item", reports.reports_menu_item)
hooks.register("register_reports_menu_item", reports.campaign_menu_item)
hooks.register("register_permissions", reports.report_permissions)


@hooks.register("construct_homepage_panels")
def campaign_dashboard_panels(request, panels: list) -> None:
    """The letters' figures on the admin's home (letters/dashboard.py)."""
    if is_national_staff(request.user):
        panels.append(UncoveredConstituenciesPanel())
    else:
        panels.append(InvitationCountsPanel(editor_groups(request)))


# Campaign emails, their failures and visitors' answers (national staff): letters/email_admin.py.
from letters import email_admin  # noqa: E402

hooks.register("register_admin_urls", email_admin.admin_urls)
hooks.register("register_reports_menu_item", email_admin.menu_item)
