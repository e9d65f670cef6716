import {
    Component,
    onMounted,
    onWillStart,
    useExternalListener,
    useRef,
    useState,
} from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The assisted picking screen: the operator takes a wave, then is led stop by stop
 * along its route. At each line they scan (or tap) the location, scan the product (its
 * barcode, or its lot), confirm the quantity found (less is a short pick), and the
 * screen says which tote of the cart the units go into. When every line is picked,
 * the totes are sorted and packed, one package per order.
 *
 * Scans come from a keyboard-wedge scanner: it types the barcode and Enter into the
 * scan field, which keeps the focus.
 */
export class PickingScreen extends Component {
    static template = "omni_wms.PickingScreen";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.scanRef = useRef("scan");
        this.quantityRef = useRef("quantity");
        this.state = useState({
            waves: [],
            step: null,
            stage: "location",
            message: null,
            busy: false,
        });
        onWillStart(async () => {
            const batchId = this.props.action?.params?.batch_id;
            if (batchId) {
                const answer = await this.call(batchId, "omni_screen_take", []);
                if (answer.ok) {
                    this.setStep(answer.result);
                }
            } else {
                await this.loadWaves();
            }
        });
        onMounted(() => this.focusScan());
        // a scanner types wherever the focus is: bring it back to the scan field
        useExternalListener(window, "keydown", (ev) => this.onWindowKeydown(ev), {
            capture: true,
        });
    }

    onWindowKeydown(ev) {
        const target = ev.target;
        if (["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName) || target.isContentEditable) {
            return;
        }
        if (ev.key.length === 1 && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
            this.focusScan();
        }
    }

    get line() {
        return this.state.step && !this.state.step.finished ? this.state.step.line : null;
    }

    get progress() {
        const step = this.state.step;
        return step && step.total ? Math.round((100 * step.done) / step.total) : 0;
    }

    get prompt() {
        if (!this.line) {
            return "";
        }
        if (this.state.stage === "location") {
            return _t("Go to %(location)s and scan it", { location: this.line.location });
        }
        if (this.state.stage === "product") {
            return this.line.lot
                ? _t("Scan lot %(lot)s", { lot: this.line.lot })
                : _t("Scan %(product)s", { product: this.line.product });
        }
        return _t("Put the units into tote %(tote)s and confirm the quantity found", {
            tote: this.line.tote,
        });
    }

    focusScan() {
        const input = this.state.stage === "quantity" ? this.quantityRef.el : this.scanRef.el;
        input?.focus();
    }

    async loadWaves() {
        this.state.waves = await this.orm.call("stock.picking.batch", "omni_screen_waves", []);
    }

    /** Call a screen method of the wave; a refusal is shown on the screen. */
    async call(batchId, method, args) {
        this.state.busy = true;
        try {
            const result = await this.orm.call("stock.picking.batch", method, [[batchId], ...args]);
            return { ok: true, result };
        } catch (error) {
            const message = error.data?.message || error.message || String(error);
            this.state.message = { type: "danger", text: message };
            return { ok: false };
        } finally {
            this.state.busy = false;
        }
    }

    setStep(step) {
        this.state.step = step;
        this.state.stage = "location";
        setTimeout(() => this.focusScan());
    }

    async take(wave) {
        this.state.message = null;
        const answer = await this.call(wave.id, "omni_screen_take", []);
        if (answer.ok) {
            this.setStep(answer.result);
        }
    }

    async onScanKeydown(ev) {
        if (ev.key !== "Enter") {
            return;
        }
        ev.preventDefault();
        const barcode = ev.target.value.trim();
        ev.target.value = "";
        if (barcode) {
            await this.scan(barcode);
        }
    }

    async scan(barcode) {
        if (!this.line || this.state.busy) {
            return;
        }
        const stage = this.state.stage === "quantity" ? "product" : this.state.stage;
        const answer = await this.call(this.state.step.wave_id, "omni_screen_scan", [
            this.line.id,
            stage,
            barcode,
        ]);
        if (!answer.ok) {
            this.focusScan();
            return;
        }
        if (this.state.stage === "quantity") {
            // one more unit scanned
            const input = this.quantityRef.el;
            input.value = Math.min(Number(input.value || 0) + 1, this.line.quantity);
        } else {
            this.state.message = null;
            this.state.stage = this.state.stage === "location" ? "product" : "quantity";
        }
        setTimeout(() => this.focusScan());
    }

    /** Tapping the location confirms it, as a picker without a scanner does. */
    async tapLocation() {
        await this.scan(this.line.location_barcode || this.line.location_name);
    }

    async onQuantityKeydown(ev) {
        if (ev.key === "Enter") {
            ev.preventDefault();
            await this.confirmQuantity();
        }
    }

    async confirmQuantity() {
        const line = this.line;
        const quantity = Number(this.quantityRef.el.value);
        if (Number.isNaN(quantity)) {
            this.state.message = { type: "danger", text: _t("Type the quantity found.") };
            return;
        }
        const answer = await this.call(this.state.step.wave_id, "omni_screen_pick", [
            line.id,
            quantity,
        ]);
        if (!answer.ok) {
            return;
        }
        this.state.message =
            quantity < line.quantity
                ? {
                      type: "warning",
                      text: _t(
                          "Short pick: %(missing)s %(uom)s of %(product)s missing in %(location)s. The face is replenished and the rest picked elsewhere when there is stock.",
                          {
                              missing: line.quantity - quantity,
                              uom: line.uom,
                              product: line.product,
                              location: line.location,
                          }
                      ),
                  }
                : { type: "success", text: _t("Picked. Next stop.") };
        this.setStep(answer.result);
    }

    async finish() {
        const answer = await this.call(this.state.step.wave_id, "omni_screen_finish", []);
        if (answer.ok) {
            this.state.step = answer.result;
            this.state.stage = "packed";
            this.state.message = { type: "success", text: _t("Wave packed: one package per order.") };
        }
    }

    async backToWaves() {
        this.state.step = null;
        this.state.message = null;
        await this.loadWaves();
    }
}

registry.category("actions").add("omni_wms.picking_screen", PickingScreen);
