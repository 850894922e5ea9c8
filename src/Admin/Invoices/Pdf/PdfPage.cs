using System.Globalization;
using System.Text;

namespace Odock.Admin.Invoices.Pdf;

/// <summary>One page's drawing operations, in points from the bottom-left corner (A4 is 595 by 842).</summary>
internal sealed class PdfPage
{
    public const decimal Width = 595m;
    public const decimal Height = 842m;

    private readonly StringBuilder _content = new();

    public string Content => _content.ToString();

    public void Text(decimal x, decimal y, PdfFont font, decimal size, string text, decimal gray = 0m)
    {
        _content.Append("BT ").Append(Fill(gray)).Append(' ').Append(FontName(font)).Append(' ').Append(Number(size)).Append(" Tf ")
            .Append(Number(x)).Append(' ').Append(Number(y)).Append(" Td ");
        PdfText.AppendLiteral(_content, text);
        _content.Append(" Tj ET\n");
    }

    /// <summary>Monospaced text ending at <paramref name="right"/>: exact, because every Courier glyph has the same width.</summary>
    public void TextRightAligned(decimal right, decimal y, decimal size, string text) =>
        Text(right - (text.Length * size * PdfText.MonospaceAdvance), y, PdfFont.Monospace, size, text);

    public void Rule(decimal x1, decimal y, decimal x2, decimal thickness = 0.5m) =>
        _content.Append(Number(thickness)).Append(" w ").Append(Number(x1)).Append(' ').Append(Number(y)).Append(" m ")
            .Append(Number(x2)).Append(' ').Append(Number(y)).Append(" l S\n");

    public static string FontName(PdfFont font) => font switch
    {
        PdfFont.Bold => "/F2",
        PdfFont.Monospace => "/F3",
        _ => "/F1",
    };

    private static string Fill(decimal gray) => $"{Number(gray)} g";

    private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
