"""The fine-tuned extractor: inference API, windowing and packaging."""
