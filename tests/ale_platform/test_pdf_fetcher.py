"""PDFs embed what they show: WeasyPrint may not reach the network or the server's files."""

import pytest

from ale_platform.pdf import _url_fetcher


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "https://example.org/x.png", "file:///etc/passwd"]
)
def test_the_pdf_fetcher_refuses_network_and_file_urls(url):
    with pytest.raises(ValueError, match="disallowed protocol"):
        _url_fetcher().fetch(url)


def test_the_pdf_fetcher_reads_inline_data():
    response = _url_fetcher().fetch("data:text/plain;base64,QUxF")
    assert response._file_obj.read() == b"ALE"
