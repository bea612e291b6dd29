package dev.tributary.sla.rest;

import dev.tributary.sla.mapping.Statuspage;
import dev.tributary.sla.service.StatusService.Board;
import dev.tributary.sla.service.StatusService.Incident;
import dev.tributary.sla.service.WindowNotices.Maintenance;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The platform's incidents and maintenance as RSS 2.0 and Atom (RFC 4287) feeds, newest first,
 * written with the JDK's StAX writer (so every text is escaped and the XML well-formed). An
 * incident's entry changes while it lasts (its title says "ongoing", its updated time moves).
 */
final class StatusFeeds {

  /** One entry of either feed. */
  record Entry(
      String id, String title, String link, Instant published, Instant updated, String text) {}

  private StatusFeeds() {}

  static List<Entry> entries(Board board, String pageUrl) {
    List<Entry> entries = new ArrayList<>();
    for (Incident i : board.incidents()) {
      entries.add(
          new Entry(
              i.id(),
              Statuspage.name(i),
              pageUrl + "#" + i.id(),
              i.run().start(),
              i.ongoing() ? board.asOf() : i.run().end(),
              "From "
                  + StatusPageView.utc(i.run().start())
                  + (i.ongoing() ? ", ongoing" : " to " + StatusPageView.utc(i.run().end()))
                  + ": "
                  + String.join("; ", i.run().reasons())));
    }
    for (Maintenance m : board.maintenance()) {
      entries.add(
          new Entry(
              "maintenance-" + m.id(),
              "Scheduled maintenance: " + m.description(),
              pageUrl + "#maintenance-" + m.id(),
              m.createdAt(),
              m.createdAt(),
              "From "
                  + StatusPageView.utc(m.start())
                  + " ("
                  + StatusPageView.pacific(m.start())
                  + ") to "
                  + StatusPageView.utc(m.end())
                  + " ("
                  + StatusPageView.pacific(m.end())
                  + "); "
                  + (m.noticeQualifies()
                      ? "notice qualified (3 Pacific business days)"
                      : "notice did not qualify (fewer than 3 Pacific business days)")
                  + "; "
                  + m.state().replace('_', ' ')));
    }
    entries.sort(Comparator.comparing(Entry::published).reversed());
    return entries.size() > 50 ? entries.subList(0, 50) : entries;
  }

  static String rss(Board board, String name, String pageUrl) {
    return write(
        w -> {
          w.writeStartElement("rss");
          w.writeAttribute("version", "2.0");
          w.writeNamespace("atom", "http://www.w3.org/2005/Atom");
          w.writeStartElement("channel");
          element(w, "title", name + " status");
          element(w, "link", pageUrl);
          element(w, "description", "Incidents and scheduled maintenance of " + name);
          element(w, "language", "en");
          element(w, "lastBuildDate", rfc1123(board.asOf()));
          w.writeEmptyElement("atom", "link", "http://www.w3.org/2005/Atom");
          w.writeAttribute("href", pageUrl + "/feed.rss");
          w.writeAttribute("rel", "self");
          w.writeAttribute("type", "application/rss+xml");
          for (Entry e : entries(board, pageUrl)) {
            w.writeStartElement("item");
            element(w, "title", e.title());
            element(w, "link", e.link());
            w.writeStartElement("guid");
            w.writeAttribute("isPermaLink", "false");
            w.writeCharacters(e.id());
            w.writeEndElement();
            element(w, "pubDate", rfc1123(e.published()));
            element(w, "description", e.text());
            w.writeEndElement();
          }
          w.writeEndElement();
          w.writeEndElement();
        });
  }

  static String atom(Board board, String name, String pageUrl) {
    String ns = "http://www.w3.org/2005/Atom";
    return write(
        w -> {
          w.setDefaultNamespace(ns);
          w.writeStartElement(ns, "feed");
          w.writeDefaultNamespace(ns);
          element(w, "id", pageUrl + "/feed.atom");
          element(w, "title", name + " status");
          element(w, "updated", board.asOf().toString());
          w.writeEmptyElement(ns, "link");
          w.writeAttribute("rel", "self");
          w.writeAttribute("href", pageUrl + "/feed.atom");
          w.writeEmptyElement(ns, "link");
          w.writeAttribute("rel", "alternate");
          w.writeAttribute("href", pageUrl);
          w.writeStartElement(ns, "author");
          element(w, "name", name);
          w.writeEndElement();
          for (Entry e : entries(board, pageUrl)) {
            w.writeStartElement(ns, "entry");
            element(w, "id", pageUrl + "#" + e.id());
            element(w, "title", e.title());
            element(w, "published", e.published().toString());
            element(w, "updated", e.updated().toString());
            w.writeEmptyElement(ns, "link");
            w.writeAttribute("rel", "alternate");
            w.writeAttribute("href", e.link());
            w.writeStartElement(ns, "summary");
            w.writeAttribute("type", "text");
            w.writeCharacters(e.text());
            w.writeEndElement();
            w.writeEndElement();
          }
          w.writeEndElement();
        });
  }

  private interface Body {
    void write(XMLStreamWriter w) throws XMLStreamException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
      w.writeStartDocument("UTF-8", "1.0");
      body.write(w);
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("cannot write the feed", e);
    }
    return out.toString();
  }

  private static void element(XMLStreamWriter w, String name, String text)
      throws XMLStreamException {
    w.writeStartElement(name);
    w.writeCharacters(text);
    w.writeEndElement();
  }

  private static String rfc1123(Instant instant) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(instant.atOffset(ZoneOffset.UTC));
  }
}
