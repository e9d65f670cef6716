from . import omni_carrier_invoice_import
