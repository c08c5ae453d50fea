from wagtail import hooks

from letters.viewsets import constituency_viewset


@hooks.register("register_admin_viewset")
def register_constituency_viewset():
    return constituency_viewset
