import { registry } from "@web/core/registry";

/** The card of ``customer``'s order, in the queue's column ``step``. */
function card(step, customer) {
    return `.o_kanban_group:has(.o_column_title:contains("${step}")) .o_kanban_record:contains("${customer}")`;
}

/** Fail unless ``element`` lies whole inside ``container`` (across only, for
 * ``acrossOnly``): nothing of it is cut off. */
function assertInside(element, container, what, acrossOnly = false) {
    const inner = element.getBoundingClientRect();
    const outer = container.getBoundingClientRect();
    const across = inner.left >= outer.left - 1 && inner.right <= outer.right + 1;
    const down = inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1;
    if (!inner.width || !across || (!acrossOnly && !down)) {
        throw new Error(
            `${what} is cut off: ${inner.left}-${inner.right} × ${inner.top}-${inner.bottom} ` +
                `outside ${outer.left}-${outer.right} × ${outer.top}-${outer.bottom}`
        );
    }
}

/** Press ``button`` on ``customer``'s card in column ``step``, checking first that the
 * card shows it whole (and, given its ``label``, that it reads so). */
function pressOnCard(step, customer, button, label = "") {
    const reads = label ? `:contains("${label}")` : "";
    return {
        content: `${button} on the card of ${customer}, in full view on the card`,
        trigger: `${card(step, customer)} button[name=${button}]${reads}`,
        run(actions) {
            assertInside(this.anchor, this.anchor.closest(".o_kanban_record"), button);
            actions.click();
        },
    };
}

/** What the clerk reads on screen, in the clerk's language: the store tours check it. */
export const ENGLISH = {
    storeQueue: "Store Queue",
    toAccept: "To Accept",
    preparing: "Preparing",
    ready: "Ready",
    done: "Done",
    units: "Units",
    expected: ": expected",
    accept: "Accept",
    markReady: "Ready",
    checkAvailability: "Check Availability",
    handOver: "Hand Over",
    doNotHandOver: "do not hand the order over",
    handedOver: "Handed over",
    close: "Close",
};

/** The queue is the clerk's home: Odoo opens on it. */
function openedOnTheQueue(labels = ENGLISH) {
    return {
        content: "Odoo opens on the store queue",
        trigger: `.o_last_breadcrumb_item:contains("${labels.storeQueue}")`,
    };
}

/** A card of an order whose item is still on its way says which, when and with which
 * transfer, and offers to check availability instead of Ready. */
function missingItemSteps(customer, product, labels = ENGLISH) {
    const preparing = labels.preparing;
    return [
        {
            content: "The card says which item is not on the shelf yet and when it comes",
            trigger: `${card(preparing, customer)} .o_omni_store_missing li:contains("${product}${labels.expected}"):contains("/INT/")`,
        },
        {
            content: "Ready is not offered while an item is missing",
            trigger: `${card(preparing, customer)}:not(:has(button[name=action_ready]))`,
        },
        pressOnCard(
            preparing,
            customer,
            "action_check_availability",
            labels.checkAvailability
        ),
        {
            content: "Nothing has arrived: the card still says what is missing",
            trigger: `${card(preparing, customer)} .o_omni_store_missing li:contains("${product}")`,
        },
    ];
}

/** Alice's click & collect at the Paris counter, at tablet size, reading ``labels``:
 * accept, ready, a wrong code then the right one, hand over; Bruno's order waits for
 * its lamp. */
export function clickCollectTabletSteps(labels) {
    return [
        openedOnTheQueue(labels),
        {
            content: "The queue's four steps fit the tablet's width",
            trigger: `.o_kanban_group:has(.o_column_title:contains("${labels.done}"))`,
            run() {
                const screen = document.querySelector(".o_action_manager");
                for (const column of document.querySelectorAll(".o_kanban_group")) {
                    const title = column.querySelector(".o_column_title").textContent.trim();
                    assertInside(column, screen, title, true);
                }
            },
        },
        {
            content: "Orders come from customers: the queue creates none",
            trigger: ".o_control_panel:not(:has(.o-kanban-button-new))",
        },
        {
            content: "One line per item",
            trigger: `${card(labels.toAccept, "Alice Tour")} .o_omni_store_items:has(li:contains("1 ${labels.units} Route Shirt")):has(li:contains("1 ${labels.units} Route Lamp"))`,
        },
        ...missingItemSteps("Bruno Tour", `1 ${labels.units} Route Lamp`, labels),
        pressOnCard(labels.toAccept, "Alice Tour", "action_accept", labels.accept),
        pressOnCard(labels.preparing, "Alice Tour", "action_ready", labels.markReady),
        pressOnCard(labels.ready, "Alice Tour", "action_open_counter", labels.handOver),
        {
            content: "The customer gives a wrong code",
            trigger: ".modal .o_field_widget[name=code] input",
            run: "edit 000000",
        },
        {
            trigger: ".modal button[name=action_hand_over]",
            run: "click",
        },
        {
            content: "The counter says not to hand the order over",
            trigger: `.modal .alert-danger:contains("${labels.doNotHandOver}")`,
        },
        {
            content: "The customer gives the right code",
            trigger: ".modal .o_field_widget[name=code] input",
            run: "edit 424242",
        },
        {
            trigger: ".modal button[name=action_hand_over]",
            run: "click",
        },
        {
            content: "The counter says the order is handed over, the red notice is gone",
            trigger: `.modal:has(.alert-success:contains("${labels.handedOver}")):not(:has(.alert-danger)):not(:has(button[name=action_hand_over]))`,
        },
        {
            trigger: `.modal-footer button:contains("${labels.close}")`,
            run: "click",
        },
        {
            content: "The order has left the queue's steps to do",
            trigger: `body:not(:has(.modal)) .o_kanban_view:not(:has(.o_kanban_record:contains("Alice Tour")))`,
        },
    ];
}

registry.category("web_tour.tours").add("omni_oms_click_collect_tablet", {
    steps: () => clickCollectTabletSteps(ENGLISH),
});

registry.category("web_tour.tours").add("omni_oms_ship_from_store_refusal", {
    steps: () => [
        openedOnTheQueue(),
        pressOnCard("To Accept", "Carla Tour", "action_open_reject"),
        {
            trigger: ".modal .o_field_widget[name=reason] input[data-value=busy]",
            run: "click",
        },
        {
            trigger: ".modal .o_field_widget[name=note] input",
            run: "edit short-staffed today",
        },
        {
            trigger: ".modal button[name=action_reject]",
            run: "click",
        },
        {
            content: "The refused order leaves the store's queue",
            trigger: `body:not(:has(.modal)) .o_kanban_view:not(:has(.o_kanban_record:contains("Carla Tour")))`,
        },
    ],
});

registry.category("web_tour.tours").add("omni_oms_store_queue_phone", {
    steps: () => [
        openedOnTheQueue(),
        pressOnCard("To Accept", "Alice Tour", "action_accept"),
        pressOnCard("Preparing", "Alice Tour", "action_ready"),
        {
            content: "Hand Over is on the card, in full view",
            trigger: `${card("Ready", "Alice Tour")} button[name=action_open_counter]`,
            run() {
                assertInside(this.anchor, this.anchor.closest(".o_kanban_record"), "Hand Over");
            },
        },
        ...missingItemSteps("Bruno Tour", "1 Units Route Lamp"),
    ],
});
