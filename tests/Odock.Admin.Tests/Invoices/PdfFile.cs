using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Odock.Admin.Tests.Invoices;

/// <summary>Reads back the structure a PDF reader relies on: header, objects at the offsets the cross-reference table gives, trailer.</summary>
internal sealed partial class PdfFile
{
    private PdfFile(string text) => Text = text;

    public string Text { get; }

    public static PdfFile Parse(byte[] bytes)
    {
        Assert.All(bytes, b => Assert.True(b < 0x80, "the writer promises a 7-bit file"));
        return new PdfFile(Encoding.ASCII.GetString(bytes));
    }

    /// <summary>Asserts the file is well formed and returns how many pages its page tree declares.</summary>
    public int AssertWellFormed()
    {
        Assert.StartsWith("%PDF-1.4\n", Text, StringComparison.Ordinal);
        Assert.EndsWith("%%EOF\n", Text, StringComparison.Ordinal);
        var startXref = int.Parse(StartXref().Match(Text).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.StartsWith("xref\n", Text[startXref..], StringComparison.Ordinal);
        var header = XrefHeader().Match(Text, startXref);
        var count = int.Parse(header.Groups[1].Value, CultureInfo.InvariantCulture);
        var entries = XrefEntry().Matches(Text, header.Index + header.Length).Take(count).ToArray();
        Assert.Equal("0000000000 65535 f ", entries[0].Value.TrimEnd('\n'));
        for (var number = 1; number < count; number++)
        {
            var offset = int.Parse(entries[number].Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.StartsWith($"{number} 0 obj\n", Text[offset..], StringComparison.Ordinal);
        }

        var trailer = Text[Text.IndexOf("trailer", startXref, StringComparison.Ordinal)..];
        Assert.Contains($"/Size {count} /Root 1 0 R", trailer, StringComparison.Ordinal);
        foreach (Match stream in Stream().Matches(Text))
        {
            Assert.Equal(int.Parse(stream.Groups[1].Value, CultureInfo.InvariantCulture), stream.Groups[2].Value.Length);
        }

        return int.Parse(PageCount().Match(Text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>True when some content stream shows exactly <paramref name="text"/> as one string.</summary>
    public bool Shows(string text) => Text.Contains($"({text}) Tj", StringComparison.Ordinal);

    [GeneratedRegex(@"startxref\n(\d+)\n%%EOF\n$")]
    private static partial Regex StartXref();

    [GeneratedRegex(@"xref\n0 (\d+)\n")]
    private static partial Regex XrefHeader();

    [GeneratedRegex(@"(\d{10}) (\d{5}) [nf] \n")]
    private static partial Regex XrefEntry();

    [GeneratedRegex(@"<< /Length (\d+) >>\nstream\n(.*?)endstream", RegexOptions.Singleline)]
    private static partial Regex Stream();

    [GeneratedRegex(@"/Type /Pages /Kids \[[^\]]*\] /Count (\d+)")]
    private static partial Regex PageCount();
}
