check 'slugify keeps a lower-case word' hello "$(slugify hello)"
check 'slugify lowers case and joins words with a dash' hello-world "$(slugify 'Hello World')"
check 'slugify turns a run of punctuation and blanks into one dash' hello-world "$(slugify 'Hello, World!')"
check 'slugify puts no dash at either end' many-spaces "$(slugify '  Many   spaces  ')"
