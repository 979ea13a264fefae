"""Real data in: file formats, the embedded digits, preprocessing, augmentation and batches."""
