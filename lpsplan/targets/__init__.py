"""Target tracking: observed values of the plans' indicators (``observations``), their import
into the store (``observe``), and the attainment of each target derived from them (``attainment``).
See docs/targets.md."""
