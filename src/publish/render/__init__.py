"""Renderers: leaves of the pipeline that paint a LayoutPlan into a file format."""
