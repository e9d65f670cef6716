import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * A warehouse layout drawn to scale: racks between the pick aisles, cut by the
 * cross-aisles, the depot, and either the placed locations (a layout) or a pick route
 * (a transfer or a wave): its numbered stops and the walk from the depot back to it.
 *
 * The field holds the map in metres, the front cross-aisle at y = 0; the drawing puts
 * the front at the bottom.
 */
export class PickRouteMap extends Component {
    static template = "omni_wms.PickRouteMap";
    static props = { ...standardFieldProps };

    get map() {
        return this.props.record.data[this.props.name];
    }

    get width() {
        return (this.map.aisles - 1) * this.map.aisle_spacing;
    }

    /** Size of the marks (stops, labels) in metres, after the aisle spacing. */
    get unit() {
        return this.map.aisle_spacing;
    }

    get viewBox() {
        const margin = this.unit;
        const left = -margin * 1.5;
        const top = -margin;
        return [left, top, this.width - 2 * left, this.map.aisle_length + margin * 2.2].join(" ");
    }

    /** The svg's y of a distance from the front cross-aisle. */
    y(metres) {
        return this.map.aisle_length - metres;
    }

    get aisles() {
        return Array.from({ length: this.map.aisles }, (_value, index) => ({
            x: index * this.map.aisle_spacing,
            label: String(index + 1),
        }));
    }

    /** Rack blocks on both sides of every aisle, between two cross-aisles. */
    get racks() {
        const { aisle_spacing: spacing, cross_aisles: crossAisles } = this.map;
        const gap = spacing * 0.35;
        const racks = [];
        for (let side = 0; side <= this.map.aisles; side++) {
            for (let block = 0; block < crossAisles.length - 1; block++) {
                const low = crossAisles[block] + gap;
                const high = crossAisles[block + 1] - gap;
                if (high > low) {
                    racks.push({
                        x: (side - 0.75) * spacing,
                        y: this.y(high),
                        width: spacing * 0.5,
                        height: high - low,
                    });
                }
            }
        }
        return racks;
    }

    get depot() {
        const [x, y] = this.map.depot;
        const size = this.unit * 0.3;
        return { points: this.diamond(x, this.y(y), size), title: _t("Depot") };
    }

    diamond(x, y, size) {
        return [
            [x, y - size],
            [x + size, y],
            [x, y + size],
            [x - size, y],
        ]
            .map((point) => point.join(","))
            .join(" ");
    }

    get locations() {
        return (this.map.locations || []).map((location) => ({
            cx: location.point[0],
            cy: this.y(location.point[1]),
            title: location.name,
        }));
    }

    get stops() {
        return (this.map.stops || []).map((stop, index) => ({
            cx: stop.point[0],
            cy: this.y(stop.point[1]),
            rank: String(index + 1),
            title: [`${index + 1}. ${stop.location}`, ...stop.lines].join("\n"),
        }));
    }

    get path() {
        return (this.map.path || []).map(([x, y]) => `${x},${this.y(y)}`).join(" ");
    }
}

export const pickRouteMap = {
    component: PickRouteMap,
    displayName: _t("Pick route map"),
    supportedTypes: ["json"],
    additionalClasses: ["o_omni_pick_route_map"],
};

registry.category("fields").add("omni_pick_route_map", pickRouteMap);
