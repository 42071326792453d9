"""What-if simulations: changes to a base run's inputs, computed with the engine, compared."""
