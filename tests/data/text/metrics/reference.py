#!/usr/bin/env python3
"""Stdlib-only reference for spanloop's metric goldens.

seqeval and numpy cannot be installed here, so this script re-states, in plain Python, the
published semantics of
  * seqeval 1.2.2 default mode: metrics/sequence_labeling.py get_entities + classification_report
    (sentences joined with an "O", per-type sets of (start, end), numpy averaging);
  * seqeval 1.2.2 strict mode: scheme.py Tokens.entities with each scheme's start/inside/end
    patterns, metrics/v1.py classification_report;
  * conlleval.pl (version 2004-01-26): its line loop, startOfChunk/endOfChunk and printout;
and writes the expected outputs next to each *.tags file. It was written for this project from
the algorithms' descriptions; it shares no code with seqeval, numpy or conlleval.

Input (*.tags): one token per line "TOKEN GOLD PRED" (single spaces), a blank line between
sentences; a line whose token is -DOCSTART- starts a document (seqeval readers drop it,
conlleval counts it as an O/O token).

Run: python3 reference.py  (rewrites every golden file; the C++ test compares byte for byte).
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def read_tags(path):
    sentences, docstarts, cur_g, cur_p = [], [], [], []
    events = []  # conlleval line stream: ('tok', g, p) | ('blank',) | ('doc',)
    with open(path, encoding='utf-8') as f:
        for raw in f:
            line = raw.rstrip('\n')
            if line.strip() == '':
                if cur_g:
                    sentences.append((cur_g, cur_p))
                    cur_g, cur_p = [], []
                events.append(('blank',))
                continue
            tok, g, p = line.split(' ')
            if tok == '-DOCSTART-':
                if cur_g:
                    sentences.append((cur_g, cur_p))
                    cur_g, cur_p = [], []
                events.append(('doc',))
                continue
            cur_g.append(g)
            cur_p.append(p)
            events.append(('tok', g, p))
    if cur_g:
        sentences.append((cur_g, cur_p))
    return sentences, events


# ---- seqeval default mode -------------------------------------------------------------------

def default_entities(sentences):
    seq = []
    for s in sentences:
        seq.extend(s)
        seq.append('O')
    seq.append('O')
    prev_tag, prev_type, begin, chunks = 'O', '', 0, []
    for i, chunk in enumerate(seq):
        tag = chunk[0]
        rest = chunk[1:]
        type_ = (rest.split('-', 1)[1] if '-' in rest else rest) or '_'
        end = prev_tag in ('E', 'S') or (prev_tag in ('B', 'I') and tag in ('B', 'S', 'O'))
        if prev_tag not in ('O', '.') and prev_type != type_:
            end = True
        if end:
            chunks.append((prev_type, begin, i - 1))
        start = tag in ('B', 'S') or (prev_tag in ('E', 'S', 'O') and tag in ('E', 'I'))
        if tag not in ('O', '.') and prev_type != type_:
            start = True
        if start:
            begin = i
        prev_tag, prev_type = tag, type_
    return chunks


# ---- seqeval strict mode --------------------------------------------------------------------

ANY = 'IOBESUL'
PATTERNS = {  # scheme: (allowed, start, inside, end); each pattern (prev, cur, 'same'|'diff'|'any')
    'IOB1': ('IOB',
             [('O', 'I', 'any'), ('I', 'I', 'diff'), ('B', 'I', 'any'), ('I', 'B', 'same'), ('B', 'B', 'same')],
             [('B', 'I', 'same'), ('I', 'I', 'same')],
             [('I', 'I', 'diff'), ('I', 'O', 'any'), ('I', 'B', 'any'), ('B', 'O', 'any'), ('B', 'I', 'diff'),
              ('B', 'B', 'same')]),
    'IOE1': ('IOE',
             [('O', 'I', 'any'), ('I', 'I', 'diff'), ('E', 'I', 'any'), ('E', 'E', 'same')],
             [('I', 'I', 'same'), ('I', 'E', 'same')],
             [('I', 'I', 'diff'), ('I', 'O', 'any'), ('I', 'E', 'diff'), ('E', 'I', 'same'), ('E', 'E', 'same')]),
    'IOB2': ('IOB',
             [(ANY, 'B', 'any')],
             [('B', 'I', 'same'), ('I', 'I', 'same')],
             [('I', 'O', 'any'), ('I', 'I', 'diff'), ('I', 'B', 'any'), ('B', 'O', 'any'), ('B', 'I', 'diff'),
              ('B', 'B', 'any')]),
    'IOE2': ('IOE',
             [('O', 'I', 'any'), ('O', 'E', 'any'), ('E', 'I', 'any'), ('E', 'E', 'any'), ('I', 'I', 'diff'),
              ('I', 'E', 'diff')],
             [('I', 'E', 'same'), ('I', 'I', 'same')],
             [('E', ANY, 'any')]),
    'IOBES': ('IOBES',
              [(ANY, 'B', 'any'), (ANY, 'S', 'any')],
              [('B', 'I', 'same'), ('B', 'E', 'same'), ('I', 'I', 'same'), ('I', 'E', 'same')],
              [('S', ANY, 'any'), ('E', ANY, 'any')]),
    'BILOU': ('BILOU',
              [(ANY, 'B', 'any'), (ANY, 'U', 'any')],
              [('B', 'I', 'same'), ('B', 'L', 'same'), ('I', 'I', 'same'), ('I', 'L', 'same')],
              [('U', ANY, 'any'), ('L', ANY, 'any')]),
}


class StrictError(Exception):
    pass


def strict_token(t):
    if t[0] not in ANY:
        raise StrictError("unknown prefix in '%s'" % t)
    return t[0], t[1:].strip('-') or '_'


def matches(patterns, prev, cur):
    for pp, cp, cond in patterns:
        if prev[0] in pp and cur[0] in cp:
            same = prev[1] == cur[1]
            if cond == 'any' or (cond == 'same' and same) or (cond == 'diff' and not same):
                return True
    return False


def strict_sentence(tags, scheme):
    allowed, start_p, inside_p, end_p = PATTERNS[scheme]
    toks = [strict_token(t) for t in tags] + [('O', '_')]
    for t, orig in zip(toks, tags):
        if t[0] not in allowed:
            raise StrictError("tag '%s' not allowed in %s" % (orig, scheme))
    out, i, prev = [], 0, ('O', '_')
    while i < len(toks):
        cur = toks[i]
        if matches(start_p, prev, cur):
            end, last = i + 1, cur
            while matches(inside_p, last, toks[end]):
                last = toks[end]
                end += 1
            if matches(end_p, toks[end - 1], toks[end]):
                out.append((cur[1], i, end))
            i = end
        else:
            i += 1
        prev = toks[i - 1]
    return out


def strict_entities(sentences, scheme):
    out = []
    for k, tags in enumerate(sentences):
        out.extend((t, (k, s, e)) for t, s, e in strict_sentence(tags, scheme))
    return out


def detect_scheme(sentences):
    prefixes = set()
    for tags in sentences:
        for t in tags:
            if t[0] not in ANY:
                raise StrictError('unknown prefix')
            prefixes.add(t[0])
    p = frozenset(prefixes)
    def one_of(*sets):
        return any(p == frozenset(s) for s in sets)
    if one_of('IOB', 'IB', 'BO', 'B'):
        return 'IOB2'
    if one_of('IOE', 'IE', 'EO', 'E'):
        return 'IOE2'
    if one_of('IOBES', 'IBES', 'IOBE', 'OBES', 'IBE', 'BES', 'OBE', 'BE', 'S'):
        return 'IOBES'
    if one_of('IOBLU', 'IBLU', 'IOBL', 'OBLU', 'IBL', 'BLU', 'OBL', 'BL', 'U'):
        return 'BILOU'
    raise StrictError('no scheme fits prefixes %s' % sorted(p))


# ---- scores and the printed report ----------------------------------------------------------

def numpy_sum(a):
    n = len(a)
    if n < 8:
        res = 0.0
        for v in a:
            res += v
        return res
    if n <= 128:
        r = list(a[:8])
        i = 8
        while i < n - (n % 8):
            for j in range(8):
                r[j] += a[i + j]
            i += 8
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return numpy_sum(a[:n2]) + numpy_sum(a[n2:])


def prf(tp, pred, true, zd):
    p = tp / pred if pred else zd
    r = tp / true if true else zd
    denom = 1.0 * p + r
    if denom == 0.0:
        denom = 1.0
    return p, r, (1.0 + 1.0) * p * r / denom


def report(gold, pred, digits, zd=0.0):
    """gold/pred: lists of (type, key) entities."""
    names = sorted({t for t, _ in gold} | {t for t, _ in pred})
    rows, tp_all, pred_all, true_all = [], 0, 0, 0
    for name in names:
        g = {k for t, k in gold if t == name}
        q = {k for t, k in pred if t == name}
        tp = len(g & q)
        rows.append((name,) + prf(tp, len(q), len(g), zd) + (len(g),))
        tp_all, pred_all, true_all = tp_all + tp, pred_all + len(q), true_all + len(g)
    micro = prf(tp_all, pred_all, true_all, zd)
    n = len(rows)
    nan = float('nan')
    macro = tuple(numpy_sum([r[i] for r in rows]) / n if n else nan for i in (1, 2, 3))
    if true_all == 0:
        weighted = (zd if pred_all == 0 else 0.0, zd, zd if pred_all == 0 else 0.0)
    else:
        w = [float(r[4]) for r in rows]
        scale = numpy_sum(w)
        weighted = tuple(numpy_sum([r[i] * r[4] for r in rows]) / scale for i in (1, 2, 3))
    width = max([len(r[0]) for r in rows] + [len('weighted avg'), digits])
    head = '{:>{width}s} '.format('', width=width) + ''.join(' {:>9}'.format(h) for h in
                                                          ['precision', 'recall', 'f1-score', 'support'])
    fmt = '{:>{width}s} ' + ' {:>9.{digits}f}' * 3 + ' {:>9}'
    buf = [fmt.format(*r, width=width, digits=digits) for r in rows] + ['']
    for label, vals in (('micro avg', micro), ('macro avg', macro), ('weighted avg', weighted)):
        buf.append(fmt.format(label, *vals, true_all, width=width, digits=digits))
    buf.append('')
    return head + '\n\n' + '\n'.join(buf)


# ---- conlleval ------------------------------------------------------------------------------

def split_conll(tag):
    if '-' in tag:
        c, t = tag.split('-', 1)
    else:
        c, t = tag, ''
    if t == '0':
        t = ''
    return c, t


def end_of_chunk(pt, t, ptype, ty):
    end = (pt, t) in {('B', 'B'), ('B', 'O'), ('I', 'B'), ('I', 'O'), ('E', 'E'), ('E', 'I'), ('E', 'O')}
    if pt != 'O' and pt != '.' and ptype != ty:
        end = True
    return end or pt in (']', '[')


def start_of_chunk(pt, t, ptype, ty):
    start = (pt, t) in {('B', 'B'), ('I', 'B'), ('O', 'B'), ('O', 'I'), ('E', 'E'), ('E', 'I'), ('O', 'E')}
    if t != 'O' and t != '.' and ptype != ty:
        start = True
    return start or t in ('[', ']')


def conlleval(events):
    tokens = correct_tags = found_c = found_g = correct_chunks = 0
    fc, fg, cc = {}, {}, {}
    lc, lct, lg, lgt = 'O', '', 'O', ''
    in_correct = False
    for ev in events:
        if ev[0] == 'blank':
            c, ct, g, gt, boundary = 'O', '', 'O', '', True
        elif ev[0] == 'doc':
            c, ct, g, gt, boundary = 'O', '', 'O', '', False
        else:
            (c, ct), (g, gt), boundary = split_conll(ev[1]), split_conll(ev[2]), False
        ec, eg = end_of_chunk(lc, c, lct, ct), end_of_chunk(lg, g, lgt, gt)
        sc, sg = start_of_chunk(lc, c, lct, ct), start_of_chunk(lg, g, lgt, gt)
        if in_correct:
            if ec and eg and lgt == lct:
                in_correct = False
                correct_chunks += 1
                cc[lct] = cc.get(lct, 0) + 1
            elif ec != eg or gt != ct:
                in_correct = False
        if sc and sg and gt == ct:
            in_correct = True
        if sc:
            found_c += 1
            fc[ct] = fc.get(ct, 0) + 1
        if sg:
            found_g += 1
            fg[gt] = fg.get(gt, 0) + 1
        if not boundary:
            if c == g and gt == ct:
                correct_tags += 1
            tokens += 1
        lc, lct, lg, lgt = c, ct, g, gt
    if in_correct:
        correct_chunks += 1
        cc[lct] = cc.get(lct, 0) + 1
    p = 100 * correct_chunks / found_g if found_g > 0 else 0.0
    r = 100 * correct_chunks / found_c if found_c > 0 else 0.0
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    out = 'processed %d tokens with %d phrases; found: %d phrases; correct: %d.\n' % (
        tokens, found_c, found_g, correct_chunks)
    if tokens > 0:
        out += 'accuracy: %6.2f%%; precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f\n' % (
            100 * correct_tags / tokens, p, r, f)
    names, last = [], None
    for name in sorted(list(fc) + list(fg), key=lambda s: s.encode('utf-8')):
        if last is None or last == '' or last != name:
            names.append(name)
        last = name
    for name in names:
        c = cc.get(name, 0)
        p = 100 * c / fg[name] if fg.get(name) else 0.0
        r = 100 * c / fc[name] if fc.get(name) else 0.0
        f = 0.0 if p + r == 0.0 else 2 * p * r / (p + r)
        pad = ' ' * max(0, 17 - len(name.encode('utf-8')))
        out += '%s%s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %d\n' % (pad, name, p, r, f, fg.get(name, 0))
    return out


# ---- golden files ---------------------------------------------------------------------------

STRICT_SCHEMES = ['IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU', 'auto']


def write(path, text):
    with open(path, 'w', encoding='utf-8', newline='\n') as f:
        f.write(text)


def main():
    for name in sorted(os.listdir(HERE)):
        if not name.endswith('.tags'):
            continue
        base = os.path.join(HERE, name[:-5])
        sentences, events = read_tags(os.path.join(HERE, name))
        gold = [s[0] for s in sentences]
        pred = [s[1] for s in sentences]
        ge = [(t, (s, e)) for t, s, e in default_entities(gold)]
        pe = [(t, (s, e)) for t, s, e in default_entities(pred)]
        write(base + '.default.txt', report(ge, pe, 2))
        write(base + '.default-d4.txt', report(ge, pe, 4))
        write(base + '.default-zd1.txt', report(ge, pe, 2, zd=1.0))
        acc_correct = sum(g == p for s in sentences for g, p in zip(*s))
        acc_total = sum(len(s[0]) for s in sentences)
        write(base + '.accuracy.txt', '%d %d\n' % (acc_correct, acc_total))
        write(base + '.conlleval.txt', conlleval(events))
        for scheme in STRICT_SCHEMES:
            try:
                used = detect_scheme(gold) if scheme == 'auto' else scheme
                text = report(strict_entities(gold, used), strict_entities(pred, used), 2)
            except StrictError as e:
                text = 'error\n'
            write(base + '.strict-%s.txt' % scheme, text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
