"""The partners' annexes: complementary offer (Annexe 5), referents (Annexe 6) and the
partners × structures table (Annexe 8)."""

from __future__ import annotations
