"""The persoonlijk actieplan: schema, pure model, storage and service."""
