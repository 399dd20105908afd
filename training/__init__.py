"""Fine-tuning recipe: configuration, label alignment and the Trainer run."""
