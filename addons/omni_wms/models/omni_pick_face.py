from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, float_compare, float_round


class OmniPickFace(models.Model):
    """A location pickers take a product from, kept between a minimum and a maximum
    quantity by replenishment from a reserve location."""

    _name = "omni.pick.face"
    _description = "Pick Face"
    _order = "warehouse_id, location_id, product_id"
    _rec_name = "location_id"
    _check_company_auto = True

    location_id = fields.Many2one(
        "stock.location",
        "Pick Face",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_storable', '=', True)]",
        check_company=True,
    )
    product_uom_id = fields.Many2one(related="product_id.uom_id")
    reserve_location_id = fields.Many2one(
        "stock.location",
        domain="[('usage', '=', 'internal')]",
        check_company=True,
        help="Where the face is replenished from (with its sub-locations).",
    )
    warehouse_id = fields.Many2one(
        related="location_id.warehouse_id", store=True, index=True, string="Warehouse"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    min_qty = fields.Float("Minimum", digits="Product Unit of Measure", required=True)
    max_qty = fields.Float("Maximum", digits="Product Unit of Measure", required=True)
    qty_on_hand = fields.Float(
        "On Hand", digits="Product Unit of Measure", compute="_compute_quantities"
    )
    qty_incoming = fields.Float(
        "Being Replenished", digits="Product Unit of Measure", compute="_compute_quantities"
    )
    short_qty = fields.Float(
        "Short",
        digits="Product Unit of Measure",
        readonly=True,
        copy=False,
        help="What the face lacked at its last replenishment, or at a short pick, that "
        "the reserve could not cover.",
    )
    short_date = fields.Datetime("Ran Short On", readonly=True, copy=False)
    replenishment_move_ids = fields.One2many(
        "stock.move", "omni_pick_face_id", "Replenishments", readonly=True
    )

    _sql_constraints = (
        (
            "face_product_unique",
            "unique(location_id, product_id)",
            "A product has one pick face per location.",
        ),
    )

    @api.depends("location_id", "product_id")
    def _compute_quantities(self):
        on_hand = self._on_hand()
        incoming = self._incoming()
        for face in self:
            face.qty_on_hand = on_hand.get(face.id, 0.0)
            face.qty_incoming = incoming.get(face.id, 0.0)

    @api.constrains("location_id", "reserve_location_id", "min_qty", "max_qty")
    def _check_face(self):
        for face in self:
            values = {
                "face": face.location_id.display_name,
                "product": face.product_id.display_name,
            }
            if not face.reserve_location_id:
                raise ValidationError(
                    self.env._(
                        "The pick face %(face)s of %(product)s has no reserve location: set "
                        "the location it is replenished from.",
                        **values,
                    )
                )
            reserve = face.reserve_location_id
            if reserve.parent_path.startswith(
                face.location_id.parent_path
            ) or face.location_id.parent_path.startswith(reserve.parent_path):
                raise ValidationError(
                    self.env._(
                        "The reserve location %(reserve)s of the pick face %(face)s of "
                        "%(product)s contains it or lies within it: choose a location apart.",
                        reserve=reserve.display_name,
                        **values,
                    )
                )
            if reserve.warehouse_id != face.location_id.warehouse_id:
                raise ValidationError(
                    self.env._(
                        "The reserve location %(reserve)s of the pick face %(face)s of "
                        "%(product)s is in another warehouse.",
                        reserve=reserve.display_name,
                        **values,
                    )
                )
            if face.min_qty < 0 or face.max_qty <= 0 or face.min_qty > face.max_qty:
                raise ValidationError(
                    self.env._(
                        "The pick face %(face)s of %(product)s needs 0 <= minimum <= maximum "
                        "and a maximum above 0 (minimum %(min)s, maximum %(max)s).",
                        min=face.min_qty,
                        max=face.max_qty,
                        **values,
                    )
                )

    # Quantities, in few queries ---------------------------------------------

    def _on_hand(self, reserve=False, available=False):
        """{face id: quantity of its product in the face (or in its reserve), with
        ``available`` less what is reserved}, in one query."""
        if not self.ids:
            return {}
        self.env["stock.quant"].flush_model(["quantity", "reserved_quantity", "location_id"])
        self.flush_recordset()
        column = "reserve_location_id" if reserve else "location_id"
        quantity = (
            SQL("quant.quantity - quant.reserved_quantity") if available else SQL("quant.quantity")
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT face.id, SUM(%(quantity)s)
                  FROM omni_pick_face face
                  JOIN stock_location place ON place.id = face.%(column)s
                  JOIN stock_location sub ON sub.parent_path LIKE place.parent_path || %(any)s
                  JOIN stock_quant quant ON quant.location_id = sub.id
                                        AND quant.product_id = face.product_id
                 WHERE face.id = ANY(%(ids)s)
                 GROUP BY face.id
                """,
                quantity=quantity,
                column=SQL.identifier(column),
                any="%",
                ids=self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _incoming(self):
        """{face id: quantity of its open replenishment moves}."""
        if not self.ids:
            return {}
        self.env["stock.move"].flush_model(["omni_pick_face_id", "product_qty", "state"])
        self.env.cr.execute(
            SQL(
                """
                SELECT omni_pick_face_id, SUM(product_qty) FROM stock_move
                 WHERE omni_pick_face_id = ANY(%s) AND state NOT IN ('done', 'cancel')
                 GROUP BY omni_pick_face_id
                """,
                self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    def _wave_demand(self):
        """{face id: quantity of its product the released waves of its warehouse (waves
        in progress) take, picked or not: picked units stay in the face's stock until
        the wave is validated}, in one query."""
        if not self.ids:
            return {}
        for model in ("stock.move", "stock.picking", "stock.picking.batch"):
            self.env[model].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT face.id, SUM(move.product_qty)
                  FROM omni_pick_face face
                  JOIN stock_move move ON move.product_id = face.product_id
                                      AND move.state NOT IN ('done', 'cancel')
                  JOIN stock_picking picking ON picking.id = move.picking_id
                  JOIN stock_picking_batch wave ON wave.id = picking.batch_id
                                               AND wave.is_wave AND wave.state = 'in_progress'
                  JOIN stock_picking_type type ON type.id = picking.picking_type_id
                 WHERE face.id = ANY(%s) AND type.warehouse_id = face.warehouse_id
                 GROUP BY face.id
                """,
                self.ids,
            )
        )
        return dict(self.env.cr.fetchall())

    # Replenishment ----------------------------------------------------------

    @api.model
    def _replenish_for_waves(self, waves):
        """Replenish the faces of the products of ``waves``."""
        faces = self.search(
            [
                ("product_id", "in", waves.move_ids.product_id.ids),
                ("warehouse_id", "in", waves.picking_type_id.warehouse_id.ids),
            ]
        )
        return faces._replenish()

    @api.model
    def _cron_replenish(self):
        return self.search([])._replenish()

    def _needs(self):
        """{face: quantity to bring} for the faces whose stock, with what is already on
        its way and less the demand of released waves, falls below their minimum: up to
        their maximum."""
        on_hand, incoming, demand = self._on_hand(), self._incoming(), self._wave_demand()
        needs = {}
        for face in self:
            rounding = face.product_uom_id.rounding
            projected = (
                on_hand.get(face.id, 0.0) + incoming.get(face.id, 0.0) - demand.get(face.id, 0.0)
            )
            if float_compare(projected, face.min_qty, precision_rounding=rounding) < 0:
                needs[face] = float_round(face.max_qty - projected, precision_rounding=rounding)
        return needs

    def _replenish(self):
        """Create the replenishment moves from reserve the faces need, one internal
        transfer per warehouse, reserved and routed; record the faces whose reserve
        could not cover the need. Returns the transfers."""
        needs = self._needs()
        available = self._on_hand(reserve=True, available=True)
        by_warehouse = defaultdict(list)
        now = fields.Datetime.now()
        short = {}
        for face, need in needs.items():
            quantity = min(need, max(available.get(face.id, 0.0), 0.0))
            if float_compare(quantity, need, precision_rounding=face.product_uom_id.rounding) < 0:
                short[face] = need - quantity
            if quantity > 0:
                by_warehouse[face.warehouse_id].append((face, quantity))
        for face, missing in short.items():
            face.write({"short_qty": missing, "short_date": now})
        pickings = self.env["stock.picking"]
        for warehouse, faces in by_warehouse.items():
            pickings |= self.env["stock.picking"].create(
                self._prepare_replenishment_picking_vals(warehouse, faces)
            )
        if pickings:
            pickings.action_confirm()
            pickings.action_assign()
        return pickings

    @api.model
    def _prepare_replenishment_picking_vals(self, warehouse, faces):
        picking_type = warehouse.int_type_id
        return {
            "picking_type_id": picking_type.id,
            "location_id": warehouse.lot_stock_id.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "origin": self.env._("Pick face replenishment"),
            "move_ids": [
                Command.create(face._prepare_replenishment_move_vals(quantity))
                for face, quantity in faces
            ],
        }

    def _prepare_replenishment_move_vals(self, quantity):
        self.ensure_one()
        return {
            "name": self.env._("Replenish %(face)s", face=self.location_id.display_name),
            "product_id": self.product_id.id,
            "product_uom": self.product_id.uom_id.id,
            "product_uom_qty": quantity,
            "location_id": self.reserve_location_id.id,
            "location_dest_id": self.location_id.id,
            "omni_pick_face_id": self.id,
            "company_id": self.company_id.id,
        }

    def _mark_short(self, quantity):
        """The face was found short of ``quantity`` at a pick: record it and replenish."""
        now = fields.Datetime.now()
        for face in self:
            face.write({"short_qty": quantity, "short_date": now})
        return self._replenish()

    def action_replenish(self):
        self.check_access("write")
        pickings = self._replenish()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Pick faces replenished"),
                "message": self.env._(
                    "Replenishment transfers: %(names)s.",
                    names=", ".join(pickings.mapped("name")) or "-",
                ),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
