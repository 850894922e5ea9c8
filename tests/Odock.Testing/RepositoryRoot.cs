namespace Odock.Testing;

/// <summary>The checkout's root (where Odock.sln is), so tests can use shipped files such as examples/odock.yaml.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string File(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (System.IO.File.Exists(System.IO.Path.Combine(directory.FullName, "Odock.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Odock.sln above {AppContext.BaseDirectory}.");
    }
}
