"""Signing in to and out of the admin: throttling per address too, and logout by POST only.

Throttling (django-axes): axes counts failures per username and address
(`AXES_FAILURE_LIMIT`, 5 by default), so one address could try a few passwords against each
of many usernames. `SignInThrottle` also counts every failure from one address, whatever the
username, and pauses sign-in from it at `SIGN_IN_FAILURES_PER_ADDRESS` (20 by default, higher
so that an office behind one address is not paused by a few mistyped passwords). Both limits
count failures within `AXES_COOLOFF_TIME`, and a successful sign-in clears only its own
username's failures, not the address's.

Logout: Wagtail's admin logout view signs the user out even when a GET is refused (it deletes
the session cookie after Django answers 405), so any page on the web could sign an editor
out with an image tag. `AdminLogoutView` answers anything but POST with 405 and touches
nothing; the admin's own "Log out" menu item already posts a form.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from wagtail.admin.views.account import LogoutView


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler, also locking an address out after many failures in total."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        address = request.axes_ip_address
        if address is None:
            return failures
        from_address = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (from_address or 0) >= settings.SIGN_IN_FAILURES_PER_ADDRESS:
            # Axes compares this number with its one limit: reaching it locks the address.
            return max(failures, get_failure_limit(request, credentials))
        return failures


class AdminLogoutView(LogoutView):
    """Wagtail's logout (message, cookie removed, back to the login page), for POST only."""

    http_method_names = ["post", "options"]

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)
