using PdfSharp.Fonts;

namespace AWorld.Core.Evidence;

/// <summary>
/// The PDF report's font: PDFsharp 6 does not find system fonts on Linux by itself, so this resolver looks for a
/// free sans-serif TrueType family in the standard font directories (DejaVu Sans from Debian's
/// <c>fonts-dejavu-core</c> first, then Liberation, Noto, FreeSans, Arial) and serves its regular and bold faces for
/// every family name asked. Registered once per process as PDFsharp's global resolver (PDFsharp allows only one);
/// thread-safe. Throws <see cref="InvalidOperationException"/> naming the package to install when no family is found.
/// </summary>
internal sealed class ReportFonts : IFontResolver
{
    public const string Family = "AWorld Report Sans";

    private const string RegularFace = "aworld-report-regular";
    private const string BoldFace = "aworld-report-bold";

    private static readonly (string Regular, string Bold)[] Candidates =
    [
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
        ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
        ("FreeSans.ttf", "FreeSansBold.ttf"),
        ("arial.ttf", "arialbd.ttf"),
    ];

    private static readonly Lock Gate = new();
    private static ReportFonts? _installed;

    private readonly byte[] _regular;
    private readonly byte[] _bold;

    private ReportFonts(byte[] regular, byte[] bold)
    {
        _regular = regular;
        _bold = bold;
    }

    /// <summary>Finds the font files and registers the resolver with PDFsharp, once per process.</summary>
    public static void EnsureInstalled()
    {
        lock (Gate)
        {
            if (_installed is not null)
            {
                return;
            }

            var (regular, bold) = Find(SearchDirectories()) ?? throw new InvalidOperationException(
                "The PDF report needs a TrueType font and none was found in " + string.Join(", ", SearchDirectories()) +
                ". On Debian or Ubuntu install the package fonts-dejavu-core (sudo apt-get install fonts-dejavu-core, " +
                "or run scripts/setup.sh); elsewhere install DejaVu Sans or Liberation Sans.");
            _installed = new ReportFonts(File.ReadAllBytes(regular), File.ReadAllBytes(bold));
            GlobalFontSettings.FontResolver ??= _installed;
        }
    }

    /// <summary>The first candidate family with both faces present under one of <paramref name="directories"/>.</summary>
    public static (string Regular, string Bold)? Find(IEnumerable<string> directories)
    {
        var existing = directories.Where(Directory.Exists).ToList();
        foreach (var (regularName, boldName) in Candidates)
        {
            foreach (var directory in existing)
            {
                var regular = FindFile(directory, regularName);
                var bold = regular is null ? null : FindFile(Path.GetDirectoryName(regular)!, boldName) ?? FindFile(directory, boldName);
                if (regular is not null && bold is not null)
                {
                    return (regular, bold);
                }
            }
        }

        return null;
    }

    public static IReadOnlyList<string> SearchDirectories()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var list = new List<string> { "/usr/share/fonts", "/usr/local/share/fonts" };
        if (!string.IsNullOrEmpty(home))
        {
            list.Add(Path.Combine(home, ".local", "share", "fonts"));
            list.Add(Path.Combine(home, ".fonts"));
        }

        list.Add("/Library/Fonts");
        list.Add("/System/Library/Fonts");
        var windows = Environment.GetFolderPath(Environment.SpecialFolder.Fonts);
        if (!string.IsNullOrEmpty(windows))
        {
            list.Add(windows);
        }

        return list;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) => faceName == BoldFace ? _bold : _regular;

    private static string? FindFile(string directory, string name)
    {
        // Bounded: font trees are a few levels deep; never wander further or into unreadable places.
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            MaxRecursionDepth = 4,
            IgnoreInaccessible = true,
            MatchCasing = MatchCasing.CaseInsensitive,
        };
        return Directory.EnumerateFiles(directory, name, options).Order(StringComparer.Ordinal).FirstOrDefault();
    }
}
