"""The billing engine: pure computations on plain values (no database, no HTTP).

``allocation`` (largest remainder to the cent), ``cap`` (écrêtement), ``snapshot`` (the inputs of
a run, their validation and content hash) and ``compute`` (payroll share, direct and indirect
lines, cap, and the explanation of every line).
"""
