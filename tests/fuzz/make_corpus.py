#!/usr/bin/env python3
"""Write the seed corpus of the fuzz targets (tests/fuzz/corpus/).

corpus/reader/*: the first byte selects the format (0 auto, 1 rss, 2 atom,
3 jsonl, 4 markdown, 5 text), the rest is the feed.  corpus/normalize/*:
raw bytes for the normalisation functions.  Every file stays under 4 KB.
Run from anywhere; it rewrites the files it owns and leaves others alone.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
AUTO, RSS, ATOM, JSONL, MD, TEXT = range(6)

GNEWS = (
    '<ol><li><a href="https://news.google.com/a1" target="_blank">Storm closes '
    'motorway for a second day</a>&nbsp;&nbsp;<font color="#6f6f6f">BBC News</font></li>'
    '<li><a href="https://news.google.com/a2">Drivers stranded as snow falls - '
    'Reuters</a>&nbsp;&nbsp;<font color="#6f6f6f">Reuters</font></li>'
    '<li><a href="https://news.google.com/a3">Snow &amp; ice warning extended</a>'
    '&nbsp;&nbsp;<font>The Guardian</font></li></ol>'
)

READER = {
    "rss_basic": (RSS, """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>World news | The Guardian</title>
<link>https://www.theguardian.com/world</link>
<item><title>Storm closes motorway for a second day - The Guardian</title>
<link>https://www.theguardian.com/uk/2024/jan/02/storm</link>
<description><![CDATA[<p>Drivers were stranded overnight as <b>snow</b> fell.</p><p>More&nbsp;to come &amp; later.</p>]]></description>
<pubDate>Tue, 02 Jan 2024 07:15:00 GMT</pubDate><guid>g-1</guid></item>
<item><title>Caf&#xE9; owners &amp; the &quot;cost&quot; crisis | Reuters</title>
<link>https://example.com/b?x=1&amp;y=2</link>
<description>Plain text summary with &lt;escaped&gt; markup.</description>
<pubDate>Wed, 03 Jan 2024 10:00:00 +0100</pubDate><source url="https://reuters.com">Reuters</source></item>
<item><title></title><description/></item>
</channel></rss>
"""),
    "rss_gnews": (RSS, """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Top stories - Google News</title>
<item><title>Storm closes motorway for a second day - BBC News</title>
<link>https://news.google.com/rss/articles/abc</link><guid isPermaLink="false">abc</guid>
<pubDate>Tue, 02 Jan 2024 08:00:00 GMT</pubDate>
<description>""" + GNEWS.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + """</description>
<source url="https://www.bbc.co.uk">BBC News</source></item>
</channel></rss>
"""),
    "atom_basic": (ATOM, """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>heise online</title>
<entry><title type="html">Neue &lt;em&gt;Chips&lt;/em&gt; f\u00fcr Rechenzentren</title>
<link rel="alternate" href="https://www.heise.de/news/1"/><id>urn:heise:1</id>
<updated>2024-01-02T09:30:00+01:00</updated><published>2024-01-02T09:00:00Z</published>
<summary type="html">&lt;p&gt;Der Hersteller &amp;amp; seine Partner&lt;/p&gt;</summary>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body <b>text</b></p></div></content>
<author><name>Anna</name></author></entry>
<entry><title>Second entry</title><id>urn:heise:2</id><updated>not a date</updated></entry>
</feed>
"""),
    "rdf_rss1": (RSS, """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="http://example.org/"><title>RDF feed</title></channel>
<item rdf:about="http://example.org/1"><title>RDF item one</title><link>http://example.org/1</link>
<description>First &amp; only</description><dc:date>2024-01-02T10:00:00Z</dc:date></item>
</rdf:RDF>
"""),
    "jsonl_mixed": (JSONL,
        '{"id":"a1","title":"Storm closes motorway - BBC News","summary":"<p>Snow&nbsp;fell</p>",'
        '"source":"BBC","link":"http://x/1","published":"2024-01-02T07:15:00Z"}\n'
        '{"id":42,"headline":"Numeric id","pubDate":"Wed, 31 Jan 2018 20:15:15 GMT","source":{"name":"Reuters"}}\n'
        '\n'
        '{"title":"Millis","published":1394409696000,"id":1.5}\n'
        '{"title": broken json\n'
        '[1,2,3]\n'
        '"just a string"\n'
        '{"title":"Escapes \\u00e9 \\ud83d\\ude00 \\ud800 lone","text":"tab\\tnl\\n","id":"e"}\n'
        '{"id":"a1","title":"Duplicate id"}\n'
        '{"title":"Last line without newline","published":null}'),
    "jsonl_invalid_utf8": (JSONL,
        b'{"id":"u1","title":"Bad \xff\xfe bytes \xc3( and \xed\xa0\x80 surrogate"}\n'
        b'{"id":"u2","title":"Overlong \xc0\xaf and \xf4\x90\x80\x80 too big","summary":"\xe2\x80"}\n'
        b'\xef\xbb\xbf{"id":"u3","title":"BOM line"}\n'),
    "md_front": (MD, """---
title: "Escapes: \\"quoted\\" caf\\u00e9 back\\\\slash"
source: The Guardian
url: https://www.theguardian.com/a
date: 2024-01-02T07:15:00Z
description: |
  line one
  line two
tags: [a, b]
---
<p>The <b>body</b> of the article &amp; more.</p>
<script>var x = 1;</script>
# Not a heading
"""),
    "md_unclosed": (MD, "---\nUnclosed front matter headline here\n\nA paragraph without a closing fence: key: value\n"),
    "text_plain": (TEXT, """Storm closes motorway for a second day

By Staff Reporter
2 January 2024

Drivers were stranded overnight as snow fell across the north.  Police said
the road would reopen "as soon as possible".\x0c

\u2014 The end.
"""),
    "text_invalid_utf8": (TEXT, b"Title with \x93cp1252 quotes\x94 and \xe9t\xe9\n\nBody \x80 euro \x85 ellipsis\r\n"),
    "auto_rss": (AUTO, "\ufeff<?xml version=\"1.0\"?>\n<!-- comment -->\n<rss><channel><item><title>Auto RSS</title><link>http://a/</link></item></channel></rss>"),
    "auto_jsonl": (AUTO, '{"id":"x","title":"Auto JSON Lines"}\n{"id":"y","title":"Second"}\n'),
    "auto_markdown": (AUTO, "---\ntitle: Auto markdown\ndate: 2024-01-02\n---\nBody\n"),
    "auto_binary": (AUTO, bytes((i * 37 + 11) % 256 for i in range(300))),
    "xml_truncated": (RSS, '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Cut off <![CDATA[half'),
    "xml_entity_bomb": (RSS, """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
<!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rss version="2.0"><channel><item><title>Bomb &h;</title><description>&h;&h;&h;</description></item></channel></rss>
"""),
    "xml_external_entity": (RSS, """<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY xxe SYSTEM "file:///etc/passwd">
<!ENTITY net SYSTEM "http://127.0.0.1:1/evil.dtd">
<!ENTITY % pe SYSTEM "http://127.0.0.1:1/pe.dtd">
%pe;
]>
<rss version="2.0"><channel><item><title>XXE &xxe;</title><description>&net;</description></item></channel></rss>
"""),
    "xml_cp1252": (RSS, b'<?xml version="1.0" encoding="windows-1252"?>\n<rss version="2.0"><channel>'
        b'<item><title>\x93Quoted\x94 caf\xe9 \x96 Le Monde</title><description>\x80 5 \x85</description></item>'
        b'</channel></rss>\n'),
    "rss_deep_html": (RSS, '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Deep</title><description>'
        + "&lt;div&gt;" * 150 + "deep text" + "&lt;/div&gt;" * 40 + '</description></item></channel></rss>'),
}

DEEP = "<div><span><b>" * 120 + "deep" + "</b></span></div>" * 30

NORMALIZE = {
    "html_article.html": '<p>First paragraph with <a href="x">a link</a> and <i>italics</i>.</p>\n'
        '<p>Second&nbsp;&nbsp;paragraph<br>new line &amp; &lt;escaped&gt; &#8217;quote&#x2019; '
        '&unknown; &#0; &#xD800; &#x110000; &amp</p><ul><li>one</li><li>two</li></ul>\n',
    "gnews_related.html": GNEWS,
    "gnews_broken.html": '<ol><li><a href="x">t</a><font>s</font><li><li></ol></ol><ol><li><a>no href</a></li>',
    "entities.txt": "Tom &amp; Jerry &quot;live&quot; &eacute;t&eacute; &hellip; &mdash; &#65;&#x42; &#; &#x; &amp;amp; & alone &nbsp;end",
    "title_outlet.txt": "Storm closes motorway for a second day - The Guardian",
    "title_outlet_bar.txt": "Markets rally on rate hopes | Reuters ",
    "title_outlet_emdash.txt": "Budget: what it means for you \u2014 BBC News",
    "title_no_outlet.txt": "Brexit - what happens next",
    "title_domain.txt": "Police appeal after crash on I-15 - KSL.com -",
    "cp1252.bin": b"\x93Smart quotes\x94 \x91single\x92 \x96 en \x97 em \x80 euro \x85 \x81\x8d\x8f\x90\x9d \xe9\xe8\xa0nbsp\xff",
    "invalid_utf8.bin": b"ok \xff \xfe \xc3( \xe2\x28\xa1 \xf0\x28\x8c\xbc \xc0\xaf \xe0\x80\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xf8\x88\x80\x80\x80 end\xe2\x82",
    "nested_html.html": DEEP,
    "script_style.html": "<html><head><style>p{color:red}</style><script>if (a < b && c > d) alert('<p>');</script></head>"
        "<body><noscript>ns</noscript><p>Visible</p><!-- <p>comment</p> --><![CDATA[cdata]]><pre>  keep\n   spaces  </pre></body></html>",
    "whitespace_controls.txt": "  lead\t\ttabs\r\nCRLF\x01\x02\x7f ctrl \xc2\xa0nbsp\xe2\x80\x83emsp \xe2\x80\xa8ls\u3000ideo  trail  \n",
    "fold_unicode.txt": "\ufb01nance \uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 Stra\u00dfe \u0130stanbul \u2018single\u2019 \u201cdouble\u201d en\u2013dash em\u2014dash \u2212minus \u2460 \u00bd e\u0301 \u212b \ud55c\uad6d\uc5b4 \U0001F600",
    "binary.bin": bytes((i * 151 + 7) % 256 for i in range(256)),
    "truncated_tag.html": '<p class="a>unterminated attribute <b>bold <a href=\'x',
    "empty.txt": "",
}


def write(path, data):
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    assert len(data) < 4096, (path, len(data))
    with open(path, "wb") as f:
        f.write(data)


def main():
    for sub in ("reader", "normalize"):
        os.makedirs(os.path.join(HERE, "corpus", sub), exist_ok=True)
    for name, (fmt, body) in READER.items():
        if isinstance(body, str):
            body = body.encode("utf-8")
        write(os.path.join(HERE, "corpus", "reader", name), bytes([fmt]) + body)
    for name, body in NORMALIZE.items():
        write(os.path.join(HERE, "corpus", "normalize", name), body)


if __name__ == "__main__":
    main()
