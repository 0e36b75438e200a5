# Panama writes amounts as the United States does: 1,234.56 (decimal point).
from django.conf.locale.es.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
