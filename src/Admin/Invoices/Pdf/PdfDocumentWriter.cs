using System.Globalization;
using System.Text;

namespace Odock.Admin.Invoices.Pdf;

/// <summary>
/// A minimal PDF 1.4 file: catalog, page tree, the three standard fonts, one uncompressed content stream per page, an
/// information dictionary, and the cross-reference table readers use to find each object by byte offset. Everything
/// written is ASCII, so a character is a byte and offsets are string lengths.
/// </summary>
internal static class PdfDocumentWriter
{
    private const int CatalogObject = 1;
    private const int PagesObject = 2;
    private const int FirstFontObject = 3;
    private const int InfoObject = 6;
    private const int FirstPageObject = 7;

    public static byte[] Write(IReadOnlyList<PdfPage> pages, string title)
    {
        ArgumentNullException.ThrowIfNull(pages);
        ArgumentNullException.ThrowIfNull(title);
        if (pages.Count == 0)
        {
            throw new ArgumentException("A PDF needs at least one page.", nameof(pages));
        }

        var pdf = new StringBuilder();
        var offsets = new List<int>();
        pdf.Append("%PDF-1.4\n");

        var kids = string.Join(" ", Enumerable.Range(0, pages.Count).Select(i => $"{PageObject(i)} 0 R"));
        AppendObject(pdf, offsets, CatalogObject, $"<< /Type /Catalog /Pages {PagesObject} 0 R >>");
        AppendObject(pdf, offsets, PagesObject, $"<< /Type /Pages /Kids [{kids}] /Count {pages.Count} >>");
        AppendObject(pdf, offsets, FirstFontObject, Font("Helvetica"));
        AppendObject(pdf, offsets, FirstFontObject + 1, Font("Helvetica-Bold"));
        AppendObject(pdf, offsets, FirstFontObject + 2, Font("Courier"));
        var info = new StringBuilder("<< /Title ");
        PdfText.AppendLiteral(info, title);
        AppendObject(pdf, offsets, InfoObject, info.Append(" /Producer (Odock) >>").ToString());

        for (var i = 0; i < pages.Count; i++)
        {
            var resources = $"<< /Font << /F1 {FirstFontObject} 0 R /F2 {FirstFontObject + 1} 0 R /F3 {FirstFontObject + 2} 0 R >> >>";
            AppendObject(pdf, offsets, PageObject(i),
                $"<< /Type /Page /Parent {PagesObject} 0 R /MediaBox [0 0 {PdfPage.Width} {PdfPage.Height}] /Resources {resources} /Contents {ContentObject(i)} 0 R >>");
            var content = pages[i].Content;
            AppendObject(pdf, offsets, ContentObject(i), $"<< /Length {content.Length} >>\nstream\n{content}endstream");
        }

        var crossReference = pdf.Length;
        pdf.Append("xref\n0 ").Append(offsets.Count + 1).Append('\n').Append("0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(offset.ToString("D10", CultureInfo.InvariantCulture)).Append(" 00000 n \n");
        }

        pdf.Append("trailer\n<< /Size ").Append(offsets.Count + 1).Append(" /Root ").Append(CatalogObject).Append(" 0 R /Info ").Append(InfoObject)
            .Append(" 0 R >>\nstartxref\n").Append(crossReference).Append("\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    private static int PageObject(int index) => FirstPageObject + (2 * index);

    private static int ContentObject(int index) => FirstPageObject + (2 * index) + 1;

    private static string Font(string baseFont) => $"<< /Type /Font /Subtype /Type1 /BaseFont /{baseFont} /Encoding /WinAnsiEncoding >>";

    // Objects are numbered in the order they are written, so the offsets list doubles as the cross-reference table.
    private static void AppendObject(StringBuilder pdf, List<int> offsets, int number, string body)
    {
        if (number != offsets.Count + 1)
        {
            throw new InvalidOperationException($"PDF object {number} written out of order.");
        }

        offsets.Add(pdf.Length);
        pdf.Append(number).Append(" 0 obj\n").Append(body).Append("\nendobj\n");
    }
}
