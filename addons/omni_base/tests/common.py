from odoo.tests import new_test_user

from odoo.addons.base.tests.common import BaseCommon


class OmniCommon(BaseCommon):
    """Users of each Omni group, shared by the tests of every Omni module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_store_staff = new_test_user(
            cls.env, login="omni_store_staff", groups="omni_base.group_omni_store_staff"
        )
        cls.user_operator = new_test_user(
            cls.env,
            login="omni_operator",
            groups="omni_base.group_omni_warehouse_operator",
        )
        cls.user_manager = new_test_user(
            cls.env, login="omni_manager", groups="omni_base.group_omni_manager"
        )
        cls.user_internal = new_test_user(cls.env, login="omni_outsider", groups="base.group_user")

    @classmethod
    def visible_menus(cls, user):
        """Menus ``user`` reaches in the web client: visible, and so are their parents."""
        visible_ids = cls.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
        return cls.env["ir.ui.menu"].browse(
            [
                menu.id
                for menu in cls.env["ir.ui.menu"].browse(visible_ids)
                if all(
                    int(ancestor) in visible_ids for ancestor in menu.parent_path.split("/")[:-1]
                )
            ]
        )
