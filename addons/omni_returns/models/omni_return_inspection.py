# pylint: disable=consider-merging-classes-inherited
# The return model in files by subject: request, receipt, inspection, refund.
from collections import defaultdict

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..engine import grading as grading_engine


class OmniReturn(models.Model):
    """Inspection: each received unit graded once, and moved where its grade says by
    real stock moves."""

    _inherit = "omni.return"

    # Inspection and grading -------------------------------------------------------------

    def action_inspect(self):
        """The inspection screen: a grade per line (lines split to grade their units
        differently); goods not received yet are received by the same validation."""
        self._check_state(("approved", "awaiting", "received"), self.env._("inspected"))
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "omni.return.inspect",
            "name": self.env._("Inspect %(rma)s", rma=self.name),
            "view_mode": "form",
            "target": "new",
            "context": {"omni_return_id": self.id},
        }

    def _receive_and_grade(self, gradings):
        """Receive what ``gradings`` grade (when not received yet), then grade it: one
        validation for both. ``gradings``: [(return line, grade, units)]."""
        self.ensure_one()
        if self.state in ("approved", "awaiting"):
            received = defaultdict(float)
            for line, _grade, quantity in gradings:
                received[line] += quantity
            self._receive(received)
        return self._grade(gradings)

    def _grade(self, gradings):
        """Grade received units: ``gradings`` is [(return line, grade, units)], every
        unit received of each line named graded at once. The units move at once from
        where they were received to their grades' destinations, by stock moves of
        one transfer; graded to resell, they are sold by the stock pools at once."""
        self.ensure_one()
        self._check_state(("received", "inspected"), self.env._("graded"))
        lines = self.env["omni.return.line"].union(*(line for line, _g, _q in gradings))
        foreign = lines - self.line_ids
        if foreign:
            raise UserError(
                self.env._(
                    "%(lines)s are not lines of %(rma)s.",
                    lines=", ".join(foreign.mapped("display_name")),
                    rma=self.name,
                )
            )
        planned = self._check_gradings(gradings)
        moves = self._graded_moves(planned)
        self.env["omni.return.grading"].create(
            [
                {
                    "line_id": line.id,
                    "grade_id": grade.id,
                    "quantity": quantity,
                    "move_ids": [Command.set(moves.get((line, grade), []))],
                    "location_dest_id": grade._destination(self.warehouse_id).id,
                }
                for line, grade, quantity in self._merged(gradings)
            ]
        )
        if all(
            float_compare(
                line.qty_graded, line.qty_received, precision_rounding=line.product_uom_id.rounding
            )
            >= 0
            for line in self.line_ids.filtered("qty_received")
        ):
            self.state = "inspected"
        return True

    @api.model
    def _merged(self, gradings):
        """``gradings`` with one entry per (line, grade), units summed, none empty."""
        merged = defaultdict(float)
        for line, grade, quantity in gradings:
            merged[(line, grade)] += quantity
        return [(line, grade, qty) for (line, grade), qty in merged.items() if qty > 0]

    def _check_gradings(self, gradings):
        """Check ``gradings`` (see engine.grading) and plan their moves: [PlannedMove]
        in the product's unit, lots and source locations as the ``lot`` keys."""
        engine_gradings = [
            grading_engine.Grading(line.id, grade.id, quantity)
            for line, grade, quantity in gradings
        ]
        lines = self.line_ids
        try:
            grading_engine.check(
                engine_gradings,
                {line.id: line.qty_received for line in lines},
                {line.id for line in lines if line.grading_ids},
            )
        except grading_engine.GradingError as error:
            raise UserError(self._grading_error_text(error)) from error
        by_id = {line.id: line for line in lines}
        in_product_unit = [
            grading_engine.Grading(
                g.line,
                g.grade,
                by_id[g.line].product_uom_id._compute_quantity(
                    g.quantity, by_id[g.line].product_id.uom_id
                ),
            )
            for g in engine_gradings
        ]
        return grading_engine.plan(in_product_unit, self._received_lots())

    def _received_lots(self):
        """{line id: [((location id, lot id), units)]}: where the received units of each
        line are and of which lots, in the product's unit."""
        lots = defaultdict(list)
        for line in self.line_ids:
            for move_line in line.return_move_ids.filtered(
                lambda m: m.state == "done"
            ).move_line_ids:
                lots[line.id].append(
                    (
                        (move_line.location_dest_id.id, move_line.lot_id.id),
                        move_line.quantity_product_uom,
                    )
                )
        return lots

    def _grading_error_text(self, error):
        line = self.env["omni.return.line"].browse(error.line)
        product = line.product_id.display_name
        texts = {
            grading_engine.ALREADY_GRADED: lambda: self.env._(
                "%(product)s was graded already (%(grades)s): a line is graded once.",
                product=product,
                grades=line.grade_summary,
            ),
            grading_engine.NOT_RECEIVED: lambda: self.env._(
                "%(product)s was not received: receive it before grading it.", product=product
            ),
            grading_engine.WRONG_TOTAL: lambda: self.env._(
                "%(product)s: %(graded)s units graded, %(received)s received; grade every "
                "unit received, once.",
                product=product,
                graded=error.details["graded"],
                received=error.details["received"],
            ),
            grading_engine.NEGATIVE: lambda: self.env._(
                "%(product)s: a grade cannot be given to a negative quantity.", product=product
            ),
        }
        return texts[error.code]()

    def _graded_moves(self, planned):
        """Create and validate the moves of ``planned`` units in one transfer from the
        returns location: {(return line, grade): move ids}."""
        warehouse = self.warehouse_id
        lines = {line.id: line for line in self.line_ids}
        grades = self.env["omni.return.grade"].browse({move.grade for move in planned})
        destinations = {grade.id: grade._destination(warehouse) for grade in grades}
        groups = defaultdict(list)
        for move in planned:
            groups[(move.line, move.grade)].append(move)
        if not groups:
            return {}
        source = self.env["stock.location"].browse(planned[0].lot[0])
        picking = self.env["stock.picking"].create(
            self._prepare_grading_picking_vals(source, warehouse)
        )
        vals_list, keys = [], []
        for (line_id, grade_id), parts in groups.items():
            vals_list.append(
                self._prepare_graded_move_vals(
                    picking, lines[line_id], destinations[grade_id], parts
                )
            )
            keys.append((lines[line_id], grades.browse(grade_id)))
        moves = self.env["stock.move"].create(vals_list)
        picking._action_done()
        return {key: [move.id] for key, move in zip(keys, moves, strict=True)}

    def _prepare_grading_picking_vals(self, source, warehouse):
        return {
            "picking_type_id": warehouse.int_type_id.id,
            "location_id": source.id,
            "location_dest_id": warehouse.lot_stock_id.id,
            "partner_id": self.partner_id.id,
            "origin": self.env._("Grading of %(rma)s", rma=self.name),
            "omni_grading_return_id": self.id,
            "company_id": self.company_id.id,
        }

    def _prepare_graded_move_vals(self, picking, line, destination, parts):
        product = line.product_id
        return {
            "name": self.env._("%(rma)s: graded", rma=self.name),
            "picking_id": picking.id,
            "product_id": product.id,
            "product_uom": product.uom_id.id,
            "product_uom_qty": sum(part.quantity for part in parts),
            "location_id": parts[0].lot[0],
            "location_dest_id": destination.id,
            "location_final_id": False,
            "picking_type_id": picking.picking_type_id.id,
            "warehouse_id": self.warehouse_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": product.id,
                        "product_uom_id": product.uom_id.id,
                        "quantity": part.quantity,
                        "location_id": part.lot[0],
                        "location_dest_id": destination.id,
                        "lot_id": part.lot[1] or False,
                        "company_id": self.company_id.id,
                        "picked": True,
                    }
                )
                for part in parts
            ],
        }
