<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARC 21 (MARCXML) into Zebra indexes named as Bib-1 names them (bib1.att), so a Z39.50 client's
  use attributes reach them (1=4 Title, 1=1003 Author, 1=21 Subject-heading, 1=7 ISBN, 1=8 ISSN,
  1=1016 Any). The text indexes hold what the union catalogue's own search index holds for the
  edition, so both are asked the same questions of the same text: the search text of ALL its
  member records (not only the record shown), written by Jaringan beside the record in its own
  namespace (jaringan:title, ... : interop/z3950/words.py, which spells each stemmed term as every
  word of the catalogue that means it, since Zebra cannot stem a query):

    Title (4)                  jaringan:title      (titles and subtitles, variant titles)
    Author (1003), Author-name-personal (1004)
                               jaringan:author
    Subject-heading (21)       jaringan:subject
    Title-series (5)           jaringan:series
    Publisher (1018)           jaringan:publisher
    Note (63)                  jaringan:notes      (statement of responsibility, edition, part)
    ISBN (7), ISSN (8), Identifier-standard (1007)
                               jaringan:isbn, jaringan:issn (every valid ISBN as ISBN-13 and, when it
                               has one, ISBN-10; each ISSN)
    Date-of-publication (31)   008/07-10
    Local-number (12)          001 (the edition's id)
    Any (1016)                 all the text indexes above, and jaringan:all (the place)

  Every text index is a word index ("w", ICU folding from icu.idx). Record id: the 001. A record
  whose leader/05 is "d" (deleted) removes the record of that id.
-->
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:z="http://indexdata.com/zebra-2.0"
                xmlns:marc="http://www.loc.gov/MARC21/slim"
                xmlns:jaringan="https://jaringan.invalid/zebra-keys"
                version="1.0">
  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:template match="text()"/>

  <xsl:template match="/">
    <xsl:apply-templates select="marc:record"/>
  </xsl:template>

  <xsl:template name="words">
    <xsl:param name="names"/>
    <xsl:param name="nodes"/>
    <xsl:for-each select="$nodes">
      <z:index name="{$names}"><xsl:value-of select="normalize-space(.)"/></z:index>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="marc:record[substring(marc:leader, 6, 1) = 'd']">
    <z:record z:id="{normalize-space(marc:controlfield[@tag='001'])}" type="delete"/>
  </xsl:template>

  <xsl:template match="marc:record">
    <z:record z:id="{normalize-space(marc:controlfield[@tag='001'])}" type="update">
      <z:index name="Local-number:w"><xsl:value-of select="normalize-space(marc:controlfield[@tag='001'])"/></z:index>
      <!-- The edition's search text, as the union catalogue's search index holds it (words.py) -->
      <xsl:call-template name="words">
        <xsl:with-param name="names">Title:w Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:title"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">Author:w Author-name-personal:w Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:author"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">Subject-heading:w Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:subject"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">Title-series:w Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:series"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">Publisher:w Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:publisher"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">Note:w Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:notes"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">Any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="jaringan:all"/>
      </xsl:call-template>
      <xsl:for-each select="jaringan:isbn">
        <z:index name="ISBN:w Identifier-standard:w"><xsl:value-of select="normalize-space(.)"/></z:index>
      </xsl:for-each>
      <xsl:for-each select="jaringan:issn">
        <z:index name="ISSN:w Identifier-standard:w"><xsl:value-of select="normalize-space(.)"/></z:index>
      </xsl:for-each>
      <xsl:variable name="year" select="substring(marc:controlfield[@tag='008'], 8, 4)"/>
      <xsl:if test="string-length(translate($year, '0123456789', '')) = 0 and string-length($year) = 4">
        <z:index name="Date-of-publication:w"><xsl:value-of select="$year"/></z:index>
      </xsl:if>
    </z:record>
  </xsl:template>
</xsl:stylesheet>
