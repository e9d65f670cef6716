import { registry } from "@web/core/registry";
import { clickCollectTabletSteps } from "@omni_oms/../tests/tours/omni_oms_store_tours";

/** What a French clerk reads: Omni's French translation of the queue, the card and the
 * counter (and Odoo's of the unit). A term left untranslated fails the tour. */
const FRENCH = {
    storeQueue: "File d'attente du magasin",
    toAccept: "À accepter",
    preparing: "En préparation",
    ready: "Prêt",
    done: "Terminé",
    units: "Unité(s)",
    expected: " : attendu le",
    accept: "Accepter",
    markReady: "Prêt",
    checkAvailability: "Vérifier la disponibilité",
    handOver: "Remettre",
    doNotHandOver: "ne remettez pas la commande",
    handedOver: "Remise au client effectuée",
    close: "Fermer",
};

registry.category("web_tour.tours").add("omni_oms_click_collect_tablet_fr", {
    steps: () => clickCollectTabletSteps(FRENCH),
});
