import subprocess
import tempfile


def pdf_text(content: bytes) -> str:
    """The text of a PDF, as poppler's pdftotext reads it (layout kept)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(content)
        f.flush()
        return subprocess.run(["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True).stdout
