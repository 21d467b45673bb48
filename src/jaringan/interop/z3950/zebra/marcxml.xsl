<?xml version="1.0" encoding="UTF-8"?>
<!-- The record as stored, less the search keys Jaringan adds for indexing (its own namespace):
     exactly the MARCXML /sru serves. -->
<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:jaringan="https://jaringan.invalid/zebra-keys"
                version="1.0">
  <xsl:output method="xml" encoding="UTF-8"/>
  <xsl:template match="jaringan:*"/>
  <xsl:template match="@*|node()">
    <xsl:copy><xsl:apply-templates select="@*|node()"/></xsl:copy>
  </xsl:template>
</xsl:stylesheet>
