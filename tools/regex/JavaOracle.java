// Java 17's answers for tests/data/regex-cases.tsv: reads "pattern<TAB>input" lines on stdin and
// prints "pattern<TAB>input<TAB>full<TAB>find<TAB>error" rows (Pattern.matches, Matcher.find, or
// ERROR and the PatternSyntaxException description; TIMEOUT when Java does not finish in 5 s).
// Lines that are empty or start with '#' are copied as they are.
//
// The pattern is Java source text, as Pattern.compile receives it. In the input, a backslash, 'u'
// and four hex digits stand for one UTF-16 unit (two make a supplementary character); rows print
// control, format, mark, separator, surrogate, private-use and unassigned characters so, and
// everything else as UTF-8, as tests/data/regex-cases.tsv has them.
// Run: java tools/regex/JavaOracle.java < list  (tools/regex/regenerate.sh does it for a list).
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.*;
import java.util.regex.*;

public class JavaOracle {
  static String decode(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.startsWith("\\u", i) && i + 6 <= s.length() && s.substring(i + 2, i + 6).matches("[0-9A-Fa-f]{4}")) {
        b.append((char) Integer.parseInt(s.substring(i + 2, i + 6), 16));
        i += 5;
      } else {
        b.append(s.charAt(i));
      }
    }
    return b.toString();
  }

  static boolean escaped(int c) {
    switch (Character.getType(c)) {
      case Character.CONTROL: case Character.FORMAT: case Character.NON_SPACING_MARK: case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK: case Character.LINE_SEPARATOR: case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE: case Character.PRIVATE_USE: case Character.UNASSIGNED:
        return true;
      default:
        return false;
    }
  }

  static String encode(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length();) {
      int c = s.codePointAt(i);
      int n = Character.charCount(c);
      if (escaped(c) || (c == '\\' && s.startsWith("u", i + 1))) {
        for (int k = i; k < i + n; k++) b.append(String.format("\\u%04X", (int) s.charAt(k)));
      } else {
        b.appendCodePoint(c);
      }
      i += n;
    }
    return b.toString();
  }

  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    });
    for (String line; (line = in.readLine()) != null;) {
      if (line.isEmpty() || line.startsWith("#")) {
        out.println(line);
        continue;
      }
      int tab = line.indexOf('\t');
      String pattern = tab < 0 ? line : line.substring(0, tab);
      String input = decode(tab < 0 ? "" : line.substring(tab + 1));
      String answer;
      try {
        Pattern p = Pattern.compile(pattern);
        Future<String> f = pool.submit(() -> Pattern.matches(pattern, input) + "\t" + p.matcher(input).find() + "\t");
        try {
          answer = f.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          f.cancel(true);
          answer = "TIMEOUT\tTIMEOUT\t";
        }
      } catch (PatternSyntaxException e) {
        answer = "ERROR\tERROR\t" + e.getDescription();
      }
      out.println(pattern + "\t" + encode(input) + "\t" + answer);
    }
  }
}
