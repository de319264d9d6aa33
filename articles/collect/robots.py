"""robots.txt rules per host, read with protego (the parser Scrapy uses: wildcards, Allow, longest match)."""

from urllib.parse import urlsplit

from protego import Protego


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class RobotsRules:
    """The rules of each host, each robots.txt read once through `read(url) -> text or None`.

    None (no robots.txt: a 4xx answer) allows everything, as the robots exclusion standard (RFC 9309) says; a
    robots.txt that could not be read (5xx, no answer) disallows the whole host, as it also says.
    """

    UNREACHABLE = object()

    def __init__(self, read, user_agent: str):
        self._read, self._user_agent, self._rules = read, user_agent, {}

    def allows(self, url: str) -> bool:
        rules = self._rules_for(url)
        if rules is None:
            return True
        if rules is self.UNREACHABLE:
            return False
        return rules.can_fetch(url, self._user_agent)

    def crawl_delay(self, url: str) -> float:
        """The seconds robots.txt asks between two requests to the host (Crawl-delay, or 1/Request-rate); 0 when
        it asks for none."""
        rules = self._rules_for(url)
        if rules is None or rules is self.UNREACHABLE:
            return 0.0
        delay = rules.crawl_delay(self._user_agent) or 0.0
        rate = rules.request_rate(self._user_agent)
        if rate and rate.requests:
            delay = max(delay, rate.seconds / rate.requests)
        return float(delay)

    def _rules_for(self, url: str):
        address = robots_url(url)
        if address not in self._rules:
            text = self._read(address)
            self._rules[address] = text if text is self.UNREACHABLE or text is None else Protego.parse(text)
        return self._rules[address]
