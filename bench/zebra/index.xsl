<?xml version="1.0" encoding="UTF-8"?>
<!--
  MARC 21 (MARCXML) into Zebra indexes that mirror the union catalogue's search index, so the two
  servers are asked the same questions of the same text:

    title      245 $a $b $n $p, 246 $a $b        (the catalogue: title, subtitle, variant titles)
    author     100/110/111/700/710/711 $a $b $c $q
    subject    600/610/611/630/650/651 $a $x $y $z $v
    series     440/490/830 $a
    publisher  260/264 $b
    notes      245 $c, 250 $a                   (statement of responsibility, edition)
    isbn, issn 020 $a, 022 $a (first word: the number)
    date       008/07-10 (year of publication)
    any        all of the text indexes above, and 260/264 $a (place)

  Every text index is a word index ("w", ICU folding from icu.idx). Record id: the 001 (edition id).
-->
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:z="http://indexdata.com/zebra-2.0"
                xmlns:marc="http://www.loc.gov/MARC21/slim"
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

  <xsl:template match="marc:record">
    <z:record z:id="{normalize-space(marc:controlfield[@tag='001'])}" type="update">
      <xsl:call-template name="words">
        <xsl:with-param name="names">title:w any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='245']/marc:subfield[@code='a' or @code='b' or @code='n' or @code='p']
                                            | marc:datafield[@tag='246']/marc:subfield[@code='a' or @code='b']"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">author:w any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='100' or @tag='110' or @tag='111' or @tag='700' or @tag='710' or @tag='711']/marc:subfield[@code='a' or @code='b' or @code='c' or @code='q']"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">subject:w any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='600' or @tag='610' or @tag='611' or @tag='630' or @tag='650' or @tag='651']/marc:subfield[@code='a' or @code='x' or @code='y' or @code='z' or @code='v']"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">series:w any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='440' or @tag='490' or @tag='830']/marc:subfield[@code='a']"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">publisher:w any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='260' or @tag='264']/marc:subfield[@code='b']"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">notes:w any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='245']/marc:subfield[@code='c'] | marc:datafield[@tag='250']/marc:subfield[@code='a']"/>
      </xsl:call-template>
      <xsl:call-template name="words">
        <xsl:with-param name="names">any:w</xsl:with-param>
        <xsl:with-param name="nodes" select="marc:datafield[@tag='260' or @tag='264']/marc:subfield[@code='a']"/>
      </xsl:call-template>
      <xsl:for-each select="marc:datafield[@tag='020']/marc:subfield[@code='a']">
        <z:index name="isbn:w"><xsl:value-of select="translate(substring-before(concat(normalize-space(.), ' '), ' '), '-', '')"/></z:index>
      </xsl:for-each>
      <xsl:for-each select="marc:datafield[@tag='022']/marc:subfield[@code='a']">
        <z:index name="issn:w"><xsl:value-of select="substring-before(concat(normalize-space(.), ' '), ' ')"/></z:index>
      </xsl:for-each>
      <xsl:variable name="year" select="substring(marc:controlfield[@tag='008'], 8, 4)"/>
      <xsl:if test="string-length(translate($year, '0123456789', '')) = 0 and string-length($year) = 4">
        <z:index name="date:w"><xsl:value-of select="$year"/></z:index>
      </xsl:if>
    </z:record>
  </xsl:template>
</xsl:stylesheet>
