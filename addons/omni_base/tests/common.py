from lxml import etree

from odoo.tests import new_test_user
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.tests.common import BaseCommon

# Odoo's own groups of the apps Omni extends, by the name users know them by.
STANDARD_GROUPS = {
    "Inventory / User": "stock.group_stock_user",
    "Inventory / Administrator": "stock.group_stock_manager",
    "Sales / Own documents": "sales_team.group_sale_salesman",
    "Sales / All documents": "sales_team.group_sale_salesman_all_leads",
    "Sales / Administrator": "sales_team.group_sale_manager",
    "Invoicing / Billing": "account.group_account_invoice",
    "Invoicing / Administrator": "account.group_account_manager",
    "Internal user": "base.group_user",
    "Portal": "base.group_portal",
    "Public": "base.group_public",
}


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

    @classmethod
    def standard_users(cls):
        """{group name: a user with only that group} for Odoo's own groups of the apps
        installed, and the Omni groups."""
        users = {
            name: new_test_user(cls.env, login=f"omni_std_{xmlid}", groups=xmlid)
            for name, xmlid in STANDARD_GROUPS.items()
            if cls.env.ref(xmlid, raise_if_not_found=False)
        }
        users.update(
            {
                "Omni / Store staff": cls.user_store_staff,
                "Omni / Warehouse operator": cls.user_operator,
                "Omni / Logistics manager": cls.user_manager,
            }
        )
        return users

    def assert_standard_users_read(self, module, records):
        """Every user who may read one of ``records`` (of Odoo's own models) reads it
        with the fields ``module`` adds, by ``read()`` as the API does and through its
        form view as the web client does: what Omni adds never locks anybody out."""
        users = self.standard_users()
        for record in records:
            added = [name for name, field in record._fields.items() if field._module == module]
            self.assertTrue(added, f"{module} adds no field to {record._name}")
            for group, user in users.items():
                mine = record.with_user(user)
                if not mine.has_access("read"):
                    continue
                fields = [
                    name
                    for name in added
                    if not record._fields[name].groups
                    or user.has_groups(record._fields[name].groups)
                ]
                with self.subTest(group=group, record=record.display_name):
                    mine.read(fields)
                    mine.search_read([("id", "=", record.id)], fields)
                    if not user.share:
                        mine.web_read(self._form_spec(mine, fields))

    @classmethod
    def _form_spec(cls, record, fields):
        """What the web client reads of ``fields`` when it opens ``record``'s form:
        those its form view shows the user, relations with their records' names."""
        arch = record.get_views([(False, "form")])["views"]["form"]["arch"]
        spec = cls._view_spec(record, arch)
        return {name: spec[name] for name in fields if name in spec}

    @staticmethod
    def _view_spec(model, arch):
        """What the web client reads of ``model``'s records to show them in ``arch``: the
        fields it shows, relations with their records' names."""
        shown = {node.get("name") for node in etree.fromstring(arch).iter("field")}
        return {
            name: {"fields": {"display_name": {}}} if model._fields[name].relational else {}
            for name in shown
            if name in model._fields
        }

    def assert_action_opens(self, action, user):
        """``user`` opens the window ``action`` as the web client does: its model is
        readable, its default view loads with its records (a form, with a new record),
        and so do the records listed in that view's one2many and many2many fields."""
        action = action.sudo()
        eval_context = {
            **action.with_user(user)._get_eval_context(),
            "active_id": False,
            "active_ids": [],
            "allowed_company_ids": user.company_ids.ids,
        }
        model = (
            self.env[action.res_model]
            .with_user(user)
            .with_context(**safe_eval(action.context or "{}", eval_context))
        )
        self.assertTrue(model.has_access("read"), f"{user.login} cannot read {model._name}")
        view_id, view_type = action.views[0]
        arch = model.get_views([(view_id, view_type)])["views"][view_type]["arch"]
        spec = self._view_spec(model, arch)
        for name in spec:
            field = model._fields[name]
            if field.type in ("one2many", "many2many"):
                comodel = self.env[field.comodel_name].with_user(user)
                self.assertTrue(
                    comodel.has_access("read"),
                    f"{user.login} cannot read {comodel._name}, listed in {model._name}.{name}",
                )
        if view_type == "form":
            model.onchange({}, [], spec)
        else:
            model.web_search_read(safe_eval(action.domain or "[]", eval_context), spec, limit=80)
