from wagtail import hooks

from network import reports

hooks.register("register_admin_urls", reports.admin_urls)
hooks.register("register_reports_menu_item", reports.translations_menu_item)
