"""Where the bundled data lives: the one definition every layer reads.

The project runs from its source tree (an editable install, or the Docker image, which copies
the tree), so data/ sits beside the packages. PLANGRAPH_DATA_DIR points elsewhere when needed.
"""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("PLANGRAPH_DATA_DIR", PROJECT_ROOT / "data"))
DEFAULT_PLANS_DIR = DATA_DIR / "plans"
# Analysts' confirm/reject/add decisions on alignment links; every build applies them.
DEFAULT_DECISIONS = DATA_DIR / "curation" / "alignment.tsv"
