import { registry } from "@web/core/registry";

/** A warehouse operator opens a wave from Omni > Warehouse > Waves, prints its pick
 * list, plans its route, reads what planning says and sees the route on the map. */
registry.category("web_tour.tours").add("omni_wms_wave_pick_list", {
    steps: () => [
        {
            content: "Open the apps menu",
            trigger: ".o_navbar_apps_menu button",
            run: "click",
        },
        {
            content: "Open Omni",
            trigger: ".o_app[data-menu-xmlid='omni_base.omni_menu_root']",
            run: "click",
        },
        {
            content: "Open the Warehouse section",
            trigger: "button[data-menu-xmlid='omni_base.omni_menu_warehouse']",
            run: "click",
        },
        {
            content: "Open the waves",
            trigger: ".dropdown-item[data-menu-xmlid='omni_wms.omni_wms_menu_waves']",
            run: "click",
        },
        {
            content: "Open the wave to pick",
            trigger: ".o_data_row .o_data_cell:contains('OWT Tour Wave')",
            run: "click",
        },
        {
            content: "Print its pick list",
            trigger: ".o_form_view button[name=action_omni_print_pick_list]:contains('Print Pick List')",
            run: "click",
        },
        {
            content: "Once the pick list is downloaded, plan the route again",
            trigger: ".o_form_view button[name=action_omni_compute_route]:enabled",
            run: "click",
        },
        {
            content: "Planning says the route's length and method",
            trigger: ".o_notification:contains('Pick route planned'):contains('OWT Tour Wave: 26.0 m, Optimal (shortest route).')",
        },
        {
            content: "The form shows the route as one value",
            trigger: ".o_field_widget[name=omni_route_summary]:contains('26.0 m, Optimal (shortest route)')",
        },
        {
            content: "Open the route's map",
            trigger: ".o_notebook .nav-link[name=omni_pick_route]",
            run: "click",
        },
        {
            content: "The map draws the walk from the depot through the three stops",
            trigger: ".o_omni_pick_route_map svg:has(.o_omni_map_depot) polyline.o_omni_map_path",
            run() {
                const stops = [...this.anchor.closest("svg").querySelectorAll(".o_omni_map_stop")];
                const ranks = stops.map((stop) => stop.querySelector("text").textContent);
                if (ranks.join() !== "1,2,3") {
                    throw new Error(`The map shows the stops ${ranks.join()}, not 1,2,3`);
                }
            },
        },
    ],
});
