"""The Jinja targets, one folder each; installed as the package data of `sdkgen.templates`.

This file only makes the folder an importable package, so `importlib.resources` finds the
templates both in an installed wheel and in an editable install of the checkout.
"""
