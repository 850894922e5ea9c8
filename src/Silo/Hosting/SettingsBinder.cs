namespace Odock.Silo.Hosting;

/// <summary>Binds a settings section and checks it; a value of the wrong type or a rule broken stops start-up naming the key.</summary>
internal static class SettingsBinder
{
    public static T Bind<T>(IConfiguration configuration, string section, Func<T, IReadOnlyList<string>> validate)
        where T : class, new()
    {
        T options;
        try
        {
            options = configuration.GetSection(section).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})", ex);
        }

        var problems = validate(options);
        if (problems.Count > 0)
        {
            throw new StartupFailure(StartupFailure.BadConfiguration, string.Join(Environment.NewLine, problems));
        }

        return options;
    }
}
