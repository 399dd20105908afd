"""Documents, gold annotations, labelling rules and the token-classification dataset."""
