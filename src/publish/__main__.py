"""Run ``python -m publish``."""

from publish.launch import main

raise SystemExit(main())
