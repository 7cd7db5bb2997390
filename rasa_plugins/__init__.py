"""Code that Rasa loads itself: the `coach` input channel, the safety NLU
component and the builder of the blank Dutch spaCy pipeline."""
