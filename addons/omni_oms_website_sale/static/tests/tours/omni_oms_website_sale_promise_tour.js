import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("omni_oms_website_sale_promise", {
    url: "/shop?search=Promise Lamp",
    steps: () => [
        {
            content: "Open the product page",
            trigger: ".oe_product_cart a:contains('Promise Lamp')",
            run: "click",
        },
        {
            content: "The product page tells to order before the cut-off to be delivered tomorrow",
            trigger: ".o_omni_promise:contains('Order within'):contains('delivered tomorrow')",
        },
        {
            content: "Add it to the cart",
            trigger: "#add_to_cart",
            run: "click",
        },
        {
            content: "Go to the cart",
            trigger: "a sup.my_cart_quantity:contains(/^1$/)",
            run: "click",
        },
        {
            content: "The cart page is open",
            trigger: "h3:contains('Order overview')",
        },
        {
            content: "The cart tells when the order is delivered",
            trigger: ".o_omni_promise:contains('Order within'):contains('delivered tomorrow')",
        },
    ],
});
